"""The patient's record as the law sees it: attachments, complete export, signed consent,
retention and disposal."""

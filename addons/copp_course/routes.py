"Cabinet pages: added below"

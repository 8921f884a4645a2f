"""A generated local copy of the sjfzxm.com English news section, for end-to-end tests and demos."""

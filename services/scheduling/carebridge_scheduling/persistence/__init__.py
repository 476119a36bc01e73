"""Tables and the queries the service layer needs of them."""

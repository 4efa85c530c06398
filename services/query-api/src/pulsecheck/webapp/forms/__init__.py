"""Pure translations between HTML form fields and the API's models, both ways."""

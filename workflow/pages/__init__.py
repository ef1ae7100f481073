"""Server-rendered pages: thin views over the services, selectors and transition specs."""

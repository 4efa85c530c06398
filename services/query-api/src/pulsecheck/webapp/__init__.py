"""PulseCheck's web app: server-rendered pages beside the REST API, in the same process.

`install_webapp(app)` adds its routers, its static files and its error pages to the API's
FastAPI app; pages reach the database and Kafka through the API's `AppContext`.
"""

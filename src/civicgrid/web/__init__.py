"""The server-rendered web application: citizen reporting first, staff pages later."""

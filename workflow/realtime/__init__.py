"""Live updates over WebSockets: what is sent (messages), to whom (groups), when (publish),
and the endpoints clients connect to (consumers, routing). See docs/realtime.md."""

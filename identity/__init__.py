"""Who is looking: sign-in modes, the access file and the viewer. `queries/` never imports it."""

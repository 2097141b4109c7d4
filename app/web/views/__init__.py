"""The pages. Each view authenticates (the blueprint did), parses a form,
asks ``app.web.permissions`` or calls one operation, and renders."""

"""The browser app's routes, one module per area; route modules never import each other."""

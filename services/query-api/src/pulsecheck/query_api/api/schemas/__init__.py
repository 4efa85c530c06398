"""Request and response models, one module per resource, named on one ladder."""

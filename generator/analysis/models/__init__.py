"""Machine-learning models: configs, weights, sizes, evaluation tables, the model card."""

"""The dispatch figures of the economy, registered with the metrics registry."""

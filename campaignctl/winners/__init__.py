"""Winners after the draw: claim states, sealed tax data, NDFL, the logistics export."""

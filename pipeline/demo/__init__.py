"""The bundled demo site: a deterministic health site and a loopback server for it."""

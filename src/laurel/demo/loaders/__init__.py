"""The demo's loaders, one module a domain, each registering itself with
``laurel.demo.registry`` when imported (``DemoConfig.ready()`` imports them in order)."""

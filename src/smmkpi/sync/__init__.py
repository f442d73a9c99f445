"""Live sync: connections to the platforms' APIs, their credentials and the fetchers that read
them into the importers (contract: ``shared/spec/sync-and-delivery.md`` §1–2)."""

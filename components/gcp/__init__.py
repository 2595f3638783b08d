"""Components that make Google Cloud resources (Cloud Run, Cloud SQL, Memorystore, Cloud Storage, Cloud
Monitoring, ...), one per file, and the Google-only helpers they share."""

"""The component that runs the whole system on the local Docker engine (the `local` stack)."""

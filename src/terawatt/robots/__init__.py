"""Robot economy: usefulness of robots, robots building robots (imports fleet and stack)."""

"""Cross-cutting web helpers shared by the apps (lists, exports, problem+json, security)."""

//! Shell-word lexing and variable expansion exactly as BuildKit does it (placeholder).

//! Zalo.

//! The deal page.

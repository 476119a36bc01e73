"""The notifications service's event handlers: plain functions, subscribed in `..subscriptions`."""

"""Handing a conversation over from the bot to a person."""

"""Actions on the shop's own API: the actions file, arguments, the requests, cards and matching.

The steps around a customer's message live in `services/_actions.py` (with a model, the model's
tool calls in `services/_tool_calls.py` and `answering/tools.py`); a write's confirmation in
`services/actions.py`; the outbound call, with its host and address checks, in `clients/shop.py`.
"""

"""The baseline: a hello-world function served exactly like ours."""


def hello(request: object) -> tuple[str, int]:
    return "hello", 200

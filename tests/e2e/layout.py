"""What the staff journeys assert about a page's layout in a 1,280 px window."""

WINDOW = 1280


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def widest(page, limit: int = WINDOW) -> list[str]:
    """The elements that reach past the window, for the failure message."""
    return page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter((e) => e.getBoundingClientRect().right > limit)
            .slice(-5)
            .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`
                + ` right=${Math.round(e.getBoundingClientRect().right)}`)""",
        limit,
    )


def assert_fits_the_window(page) -> None:
    assert page.viewport_size["width"] == WINDOW
    width = page_width(page)
    assert width <= WINDOW, f"{page.url} is {width}px wide: {widest(page)}"


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_title_clear(page) -> None:
    """The page's title (h1) is not covered by the object tools' buttons."""
    title = page.locator("#content h1").first
    box = title.bounding_box()
    assert box and box["width"] > 0, f"{page.url}: no visible title"
    for button in page.locator(".object-tools li").all():
        other = button.bounding_box()
        if other:
            assert not overlaps(box, other), f"{page.url}: “{button.inner_text()}” covers the title"

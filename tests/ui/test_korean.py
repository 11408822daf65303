"""The builder in Korean: picked in the header, it renames the navigation and the pages of the
builder's own areas (dashboard, automations, presets, the flow editor), sets `<html lang="ko">`,
survives a reload, and leaves axe-core nothing serious to report; the sign-in page speaks it too
and has the picker, so one can switch back before signing in."""

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from engine.language.presets import THREE_STEP
from tests.e2e.stack import DevStack
from tests.ui.api import abandon_cart, unique
from tests.ui.browser import check_accessibility, open_route

SignInAs = Callable[[str], Awaitable[Page]]
KOREAN_NAV = ("대시보드", "자동화", "프리셋", "템플릿", "장바구니")
ENGLISH_NAV = re.compile(r"Dashboard|Automations|Presets|Templates|Carts")


async def pick_language(page: Page, name: str, value: str) -> None:
    """Choose `value` ("ko", "en") in the picker, labelled `name` in the language shown."""
    await page.get_by_role("combobox", name=name, exact=True).select_option(value)
    await expect(page.locator("html")).to_have_attribute("lang", value)


async def expect_korean_header(page: Page) -> None:
    nav = page.get_by_role("navigation", name="주 메뉴")
    for label in KOREAN_NAV:
        await expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    await expect(nav).not_to_contain_text(ENGLISH_NAV)
    await expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    await expect(page.get_by_role("combobox", name="언어", exact=True)).to_have_value("ko")


async def test_the_builder_switches_to_korean_and_stays_accessible(
    sign_in_as: SignInAs, ui_stack: DevStack
) -> None:
    automation = ui_stack.post(
        f"/api/v1/presets/{THREE_STEP.key}/install", {"name": unique("장바구니 알림")}
    )
    page = await sign_in_as("marketer")
    await expect(page.locator("html")).to_have_attribute("lang", "en")

    await pick_language(page, "Language", "ko")
    await expect_korean_header(page)
    await expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^전체 자동화, "))).to_be_visible()
    await check_accessibility(page, "the dashboard in Korean")

    # The choice is kept in this browser: a reload opens in Korean.
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "ko")
    await expect_korean_header(page)
    await expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()

    await page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="자동화").click()
    await expect(page.get_by_role("heading", name="자동화", level=1)).to_be_visible()
    table = page.get_by_role("table", name="자동화")
    for column in ("이름", "상태", "버전", "트리거", "진행 중인 여정"):
        await expect(table.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="새 자동화")).to_be_visible()
    await expect(page.get_by_role("checkbox", name="보관된 항목 표시")).to_be_visible()
    await check_accessibility(page, "the automations list in Korean")

    await page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="프리셋").click()
    await expect(page.get_by_role("heading", name="프리셋", level=1)).to_be_visible()
    await expect(page.get_by_role("region", name="장바구니 이탈")).to_be_visible()
    await expect(page.get_by_role("button", name=f"설치: {THREE_STEP.name}")).to_be_visible()
    await check_accessibility(page, "the presets in Korean")

    await open_route(page, f"/automations/{automation['id']}")
    await expect(page.get_by_role("heading", name=automation["name"], level=1)).to_be_visible()
    toolbar = page.get_by_role("group", name="자동화")
    for button in ("실행 취소", "초안 저장", "게시", "버전 기록"):
        await expect(toolbar.get_by_role("button", name=button, exact=True)).to_be_visible()
    trigger = page.get_by_role("button", name=re.compile(r"^트리거: cart_abandoned "))
    await expect(trigger).to_be_visible()
    wait = page.get_by_role("button", name=re.compile(r"^단계 [\w-]+: \S+ 대기$"))
    await expect(wait.first).to_be_visible()
    await expect(page.get_by_role("complementary", name="사이드 패널")).to_contain_text("흐름 편집")
    await expect(page.get_by_role("button", name="화면에 맞추기")).to_be_visible()
    await expect(page.get_by_text("✓ 게시 가능", exact=True)).to_be_visible()
    await check_accessibility(page, "the flow editor in Korean")

    await toolbar.get_by_role("button", name="버전 기록", exact=True).click()
    await expect(page.get_by_role("heading", name="버전 기록", level=2)).to_be_visible()
    await expect(page.get_by_role("heading", name=re.compile(r"^버전 1"), level=3)).to_be_visible()
    await check_accessibility(page, "the flow editor's version history in Korean")

    # Signed out, the sign-in page speaks Korean too, and its picker switches back.
    await page.get_by_role("button", name="로그아웃").click()
    await expect(page.get_by_role("heading", name="Boomerang에 로그인")).to_be_visible()
    await expect(page.get_by_label("API 토큰")).to_be_visible()
    await check_accessibility(page, "the sign-in page in Korean")
    await pick_language(page, "언어", "en")
    await expect(page.get_by_role("heading", name="Sign in to Boomerang")).to_be_visible()


async def test_every_area_of_the_builder_reads_korean_and_stays_accessible(
    sign_in_as: SignInAs, ui_stack: DevStack, tokens: dict[str, str]
) -> None:
    """Carts, a cart, templates (with the template's languages), journeys, customers and
    settings: each page's heading in Korean, nothing serious for axe-core."""
    cart_id = unique("cart-ko")
    await abandon_cart(ui_stack, tokens["ingest"], cart_id, f"{unique('shopper')}@example.com")
    page = await sign_in_as("admin")
    await pick_language(page, "Language", "ko")
    nav = page.get_by_role("navigation", name="주 메뉴")

    for link, heading in (
        ("장바구니", "장바구니"),
        ("템플릿", "템플릿"),
        ("여정", "여정"),
        ("고객", "고객"),
        ("설정", "설정"),
    ):
        await nav.get_by_role("link", name=link, exact=True).click()
        await expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        await check_accessibility(page, f"{link} in Korean")

    await open_route(page, f"/carts/{cart_id}")
    await expect(page.get_by_role("heading", name=f"장바구니 {cart_id}", level=1)).to_be_visible()
    await expect(page.get_by_role("heading", name="상품", level=2)).to_be_visible()
    await check_accessibility(page, "a cart in Korean")

    # The seeded reminder holds its content in seven languages: Korean among the tabs.
    await open_route(page, "/templates/cart-reminder")
    languages = page.get_by_role("tablist", name="내용의 언어")
    await expect(languages.get_by_role("tab")).to_have_count(7)
    await expect(languages.get_by_role("tab", name=re.compile("한국어"))).to_be_visible()
    await check_accessibility(page, "the template editor in Korean")

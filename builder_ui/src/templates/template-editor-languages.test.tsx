import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { jsonResponse } from "../test/fixtures";
import { MJML, VARIABLES, preview, templatePublic } from "../test/template-fixtures";
import { callsTo, renderAs } from "../test/test-session";
import { TemplateEditorPage } from "./template-editor-page";

type FetchRoutes = Parameters<typeof renderAs>[2]["routes"];

const KOREAN = { subject: "장바구니가 기다려요", mjml: MJML.replace("Hi", "안녕하세요"), text: "안녕하세요 {{ customer.first_name }}" };
const WITH_KOREAN = templatePublic(
  "cart-reminder",
  {},
  {
    translations: { ko: KOREAN },
    missing: [
      { locale: "pl", customers: 12, fallback: "en" },
      { locale: "sv", customers: 1, fallback: "en" },
    ],
  },
);

async function previewBody(request: Request): Promise<Record<string, unknown>> {
  return (await request.clone().json()) as Record<string, unknown>;
}

function renderEditor(routes: FetchRoutes = {}, korean = false) {
  const editor = <TemplateEditorPage />;
  return renderAs("marketer", korean ? <LanguageProvider initial="ko">{editor}</LanguageProvider> : editor, {
    path: "/templates/:templateName",
    at: "/templates/cart-reminder",
    routes: {
      "GET /api/v1/templates/cart-reminder": WITH_KOREAN,
      "GET /api/v1/templates/variables": VARIABLES,
      "POST /api/v1/templates/cart-reminder/preview": async (request: Request) => {
        const body = await previewBody(request);
        return jsonResponse(preview(`<p>${String(body.locale)}</p>`, String(body.locale ?? "en")));
      },
      ...routes,
    },
  });
}

function languageTabs() {
  return screen.findByRole("tablist", { name: "Language of the content" });
}

describe("the template editor's languages", () => {
  it("switches between the main content and each translation, previewing the one shown", async () => {
    const { fetchMock } = renderEditor();
    const tabs = await languageTabs();

    expect(within(tabs).getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["English (main)", "Korean"]);
    expect(screen.getByLabelText("Subject")).toHaveValue("Your cart is waiting");
    fireEvent.click(within(tabs).getByRole("tab", { name: "Korean" }));

    expect(screen.getByLabelText("Subject")).toHaveValue("장바구니가 기다려요");
    expect(screen.getByRole("textbox", { name: "Template source" })).toHaveTextContent("안녕하세요");
    await waitFor(() => expect(screen.getByText("Rendered in Korean")).toBeInTheDocument(), { timeout: 4000 });
    const previews = callsTo(fetchMock, "POST /api/v1/templates/cart-reminder/preview");
    const last = await previewBody(previews[previews.length - 1] as Request);
    expect(last).toMatchObject({ locale: "ko", content: { locale: "en", translations: { ko: KOREAN } } });
  });

  it("edits only the language shown, and saves every language", async () => {
    const { fetchMock } = renderEditor({
      "PUT /api/v1/templates/cart-reminder/draft": () => jsonResponse(templatePublic("cart-reminder", { draft_version: 2 })),
    });
    fireEvent.click(within(await languageTabs()).getByRole("tab", { name: "Korean" }));
    fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "{{ customer.first_name }}님, 장바구니" } });
    fireEvent.click(screen.getByRole("button", { name: "Save draft" }));

    await waitFor(() => expect(callsTo(fetchMock, "PUT /api/v1/templates/cart-reminder/draft")).toHaveLength(1));
    const [saved] = callsTo(fetchMock, "PUT /api/v1/templates/cart-reminder/draft");
    expect(await previewBody(saved as Request)).toEqual({
      subject: "Your cart is waiting",
      mjml: MJML,
      text: "Hi {{ customer.first_name }}",
      locale: "en",
      translations: { ko: { ...KOREAN, subject: "{{ customer.first_name }}님, 장바구니" } },
    });
  });

  it("adds a language as a copy of the main content, and removes a translation", async () => {
    renderEditor();
    const tabs = await languageTabs();
    const form = screen.getByRole("form", { name: "Add a language" });
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "pt_br" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add" }));

    expect(within(tabs).getByRole("tab", { name: "Brazilian Portuguese" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByLabelText("Subject")).toHaveValue("Your cart is waiting");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();

    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "ko" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(within(form).getByText("Korean is there already.")).toBeInTheDocument();
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "not a locale" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(within(form).getByText("“not a locale” is not a locale such as ko, pl or pt-BR.")).toBeInTheDocument();

    fireEvent.click(within(tabs).getByRole("tab", { name: "Korean" }));
    fireEvent.click(screen.getByRole("button", { name: "Remove Korean" }));
    expect(within(tabs).getAllByRole("tab").map((tab) => tab.textContent)).toEqual([
      "English (main)",
      "Brazilian Portuguese",
    ]);
    expect(screen.getByLabelText("Subject")).toHaveValue("Your cart is waiting");
    expect(screen.queryByRole("button", { name: "Remove English" })).toBeNull();
  });

  it("lists the languages customers read that the template lacks, and adds one from the list", async () => {
    renderEditor();
    const tabs = await languageTabs();

    expect(screen.getByText(/12 customers read Polish: they get English/)).toBeInTheDocument();
    expect(screen.getByText(/1 customer reads Swedish: they get English/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Add Polish" }));

    expect(within(tabs).getByRole("tab", { name: "Polish" })).toHaveAttribute("aria-selected", "true");
    expect(screen.queryByText(/read Polish/)).toBeNull();
    expect(screen.getByText(/1 customer reads Swedish/)).toBeInTheDocument();
  });

  it("names the language a translation's problem is in, and marks it in that language only", async () => {
    renderEditor({
      "POST /api/v1/templates/cart-reminder/preview": () =>
        jsonResponse(
          {
            code: "invalid_template",
            message: "translations.ko.mjml: line 5: Unexpected end of template",
            problems: [{ field: "content.translations.ko.mjml", message: "line 5: Unexpected end of template", line: 5 }],
          },
          422,
        ),
    });

    const alert = await screen.findByRole("alert", {}, { timeout: 4000 });
    expect(alert).toHaveTextContent("Korean: Line 5: Unexpected end of template");
    expect(document.querySelector(".cm-lint-marker-error")).toBeNull(); // English is shown
    fireEvent.click(within(await languageTabs()).getByRole("tab", { name: "Korean" }));
    await waitFor(() => expect(document.querySelector(".cm-lint-marker-error")).not.toBeNull());
  });

  it("speaks Korean to a Korean reader", async () => {
    renderEditor({}, true);
    const tabs = await screen.findByRole("tablist", { name: "내용의 언어" });

    expect(within(tabs).getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["영어 (기본)", "한국어"]);
    expect(screen.getByText(/폴란드어 사용 고객 12명은 영어 버전을 받습니다/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "초안 저장" })).toBeInTheDocument();
    expect(screen.getByLabelText("제목")).toHaveValue("Your cart is waiting");
  });
});

describe("the main content's language", () => {
  it("can be said to be another locale, and is saved so", async () => {
    const { fetchMock } = renderEditor({
      "PUT /api/v1/templates/cart-reminder/draft": () => jsonResponse(templatePublic("cart-reminder", { draft_version: 2 })),
    });
    const tabs = await languageTabs();
    const form = screen.getByRole("form", { name: "The main content's language" });
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "ko" } });
    fireEvent.click(within(form).getByRole("button", { name: "Change" }));
    expect(within(form).getByText("Korean is there already.")).toBeInTheDocument();

    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "de" } });
    fireEvent.click(within(form).getByRole("button", { name: "Change" }));
    expect(within(tabs).getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["German (main)", "Korean"]);
    fireEvent.click(screen.getByRole("button", { name: "Save draft" }));

    await waitFor(() => expect(callsTo(fetchMock, "PUT /api/v1/templates/cart-reminder/draft")).toHaveLength(1));
    const [saved] = callsTo(fetchMock, "PUT /api/v1/templates/cart-reminder/draft");
    expect(await previewBody(saved as Request)).toMatchObject({ locale: "de", subject: "Your cart is waiting" });
  });
});

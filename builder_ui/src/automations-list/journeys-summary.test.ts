import { describe, expect, it } from "vitest";
import { translate, type Translate } from "../i18n/i18n";
import { describeJourneys, runningJourneysText } from "./journeys-summary";

const english: Translate = (key, params) => translate("en", key, params);
const korean: Translate = (key, params) => translate("ko", key, params);

describe("what a status change did to running journeys", () => {
  it("reads in English with its plurals", () => {
    expect(describeJourneys({ command: "pause", changed: 3, unchanged: 1, failed: [] }, english)).toBe(
      "3 journeys paused, 1 already was.",
    );
    expect(
      describeJourneys(
        { command: "cancel", changed: 1, unchanged: 2, failed: [{ journey_id: "j", reason: "not found" }] },
        english,
      ),
    ).toBe("1 journey cancelled, 2 already were; 1 journey could not be cancelled (not found).");
    expect(runningJourneysText(1, english)).toBe("1 journey is running.");
    expect(runningJourneysText(null, english)).toBe("The number of running journeys is unknown right now.");
  });

  it("reads in Korean, the server's reason as it came", () => {
    expect(
      describeJourneys(
        { command: "resume", changed: 2, unchanged: 0, failed: [{ journey_id: "j", reason: "not found" }] },
        korean,
      ),
    ).toBe("여정 2개 재개됨; 여정 1개를 재개하지 못함(not found).");
    expect(runningJourneysText(1200, korean)).toBe("진행 중인 여정이 1,200개 있습니다.");
  });
});

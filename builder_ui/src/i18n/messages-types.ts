/**
 * The shape of a message catalogue. A message is a string with `{name}` placeholders, or,
 * for one that counts, its plural forms by `Intl.PluralRules` category (`other` always).
 */
export type Plural = { readonly zero?: string; readonly one?: string; readonly two?: string; readonly few?: string; readonly many?: string; readonly other: string };
export type Message = string | Plural;
export type Messages = Readonly<Record<string, Message>>;

/** A translation of an area's English messages: every key, checked by the compiler. */
export type Translation<English extends Messages> = { readonly [Key in keyof English]: Message };

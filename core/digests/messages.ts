import { messages } from "../i18n/area.ts";

export const digestsMessages = messages({
  en: {},
  pt: {},
});

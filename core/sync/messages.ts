import { messages } from "../i18n/area.ts";

export const syncMessages = messages({
  en: {},
  pt: {},
});

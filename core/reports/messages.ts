import { messages } from "../i18n/area.ts";

export const reportsMessages = messages({
  en: {},
  pt: {},
});

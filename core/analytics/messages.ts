import { messages } from "../i18n/area.ts";

export const analyticsMessages = messages({
  en: {},
  pt: {},
});

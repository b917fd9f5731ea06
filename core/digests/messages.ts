import { messages } from "../i18n/area.ts";

export const digestsMessages = messages({
  en: {
    "digest.chart.title": "Engagement and clicks · {scope}",
    "digest.chart.period": "{from} to {to} (UTC days)",
    "digest.chart.clicks": "Clicks",
    "digest.chart.engagement": "Engagement",
    "digest.chart.top": "Share of engagement",
    "digest.chart.no_engagement": "No posts with engagement in this period.",
  },
  pt: {
    "digest.chart.title": "Engajamento e cliques · {scope}",
    "digest.chart.period": "{from} a {to} (dias UTC)",
    "digest.chart.clicks": "Cliques",
    "digest.chart.engagement": "Engajamento",
    "digest.chart.top": "Parte do engajamento",
    "digest.chart.no_engagement": "Nenhuma publicação com engajamento neste período.",
  },
});

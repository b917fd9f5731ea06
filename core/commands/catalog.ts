import { apikeyCreate, apikeyList, apikeyRevoke } from "../api/commands.ts";
import { qrIssue, redeem } from "../referrals/qr-commands.ts";
import { campaignCreate, campaignList, campaignShow, campaignUpdate } from "../campaigns/commands.ts";
import { campaignTransitions } from "../campaigns/transitions.ts";
import { creatorAdd, creatorShow, creatorsSearch } from "../creators/commands.ts";
import { link } from "../identity/commands.ts";
import { accept, counter, decline } from "../invitations/answers.ts";
import { invite } from "../invitations/commands.ts";
import { invites } from "../invitations/listing.ts";
import { memberAdd } from "../members/commands.ts";
import { outboxFailed, outboxRetry } from "../outbox/commands.ts";
import { planDowngrade, planShow, planUpgrade } from "../billing/commands.ts";
import { boostBuy, boostStatus } from "../payments/boost-commands.ts";
import { feed, leaderboard } from "../leaderboard/commands.ts";
import { pay, receipt } from "../payments/milestone-commands.ts";
import { referralShow } from "../referrals/commands.ts";
import { report } from "../reports/commands.ts";
import { statsCampaign, statsCreator } from "../referrals/stats-commands.ts";
import { syncCommands } from "../sync/commands.ts";
import { digestCommands } from "../digests/commands.ts";
import { workspaceCreate, workspaceShow } from "../workspaces/commands.ts";
import { helpCommand } from "./help-command.ts";
import { CommandRegistry } from "./registry.ts";

/** Every command Clout has, declared once; each adapter builds its own surface from this. */
export function createRegistry(): CommandRegistry {
  const registry: CommandRegistry = new CommandRegistry([
    helpCommand(() => registry),
    link,
    workspaceCreate,
    workspaceShow,
    memberAdd,
    creatorAdd,
    creatorShow,
    creatorsSearch,
    campaignCreate,
    campaignList,
    campaignShow,
    campaignUpdate,
    ...campaignTransitions,
    invite,
    invites,
    accept,
    decline,
    counter,
    referralShow,
    statsCampaign,
    statsCreator,
    qrIssue,
    redeem,
    apikeyCreate,
    apikeyList,
    apikeyRevoke,
    outboxFailed,
    outboxRetry,
    boostBuy,
    boostStatus,
    leaderboard,
    feed,
    pay,
    receipt,
    report,
    planShow,
    planUpgrade,
    planDowngrade,
    ...syncCommands,
    ...digestCommands,
  ]);
  return registry;
}

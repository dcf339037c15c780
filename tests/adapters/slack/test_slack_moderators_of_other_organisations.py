"""An admin or owner of ANOTHER organisation's workspace, met in a Slack Connect channel (or a
user of another Enterprise Grid org), is a member here: their rights are their own workspace's.

`users.info` on a user from another organisation gives their own `team_id` (and `is_stranger`
for some external users), with `is_admin`/`is_owner` describing their own workspace."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import FORM, slash_command_body

REFUSED = "Only moderators"


def last_reply(slack: SlackHarness) -> str:
    return json.dumps(slack.fake.responses[-1].args)


async def test_an_admin_of_another_workspace_in_a_shared_channel_is_refused(
        slack: SlackHarness) -> None:
    slack.fake.admins.add("UEXT")
    slack.fake.foreign["UEXT"] = {"team_id": "T2", "is_owner": True, "is_primary_owner": True}
    entry = slack.service.kb.entries[0]
    await slack.command("add", user="UEXT")
    assert slack.fake.of("views.open") == []
    assert REFUSED in last_reply(slack)
    await slack.command(f"hide {entry.id}", user="UEXT")
    assert REFUSED in last_reply(slack)
    await slack.command("helpline call this number", user="UEXT")
    assert REFUSED in last_reply(slack)
    # Nothing changed for this workspace's members.
    assert entry.id in (await slack.service.view("T1")).by_id
    assert await slack.service.store.fetchone("SELECT COUNT(*) FROM revisions") == (0,)


async def test_a_stranger_who_is_admin_elsewhere_cannot_press_a_moderators_button(
        slack: SlackHarness) -> None:
    slack.fake.admins.add("USTRANGE")
    slack.fake.foreign["USTRANGE"] = {"team_id": "T3", "is_stranger": True}
    entry = slack.service.kb.entries[0]
    await slack.command(f"hide {entry.id}", user="UADMIN")
    # The revert button a moderator was shown, replayed by the stranger.
    await slack.click("cb:0:mod-revert", f"{entry.id}@0", user="USTRANGE", ephemeral=True)
    assert REFUSED in json.dumps(slack.fake.responses[-1].args)
    await slack.home("USTRANGE")
    assert "Moderator tools" not in json.dumps(slack.fake.of("views.publish")[-1].args["view"])


async def test_on_enterprise_grid_an_admin_of_another_org_is_refused(slack: SlackHarness) -> None:
    fake = slack.fake
    fake.enterprise = "E1"
    fake.admins |= {"UORGADMIN", "UOTHERORG"}
    fake.foreign["UOTHERORG"] = {"team_id": "T9", "enterprise_user": {
        "id": "UOTHERORG", "enterprise_id": "E2", "is_admin": True, "teams": ["T9"]}}

    async def add(user: str) -> None:
        await slack.post(slash_command_body("add", fake.response_url(user), user=user,
                                            enterprise="E1"), FORM)

    await add("UOTHERORG")
    assert fake.of("views.open") == []
    assert REFUSED in last_reply(slack)
    await add("UORGADMIN")  # an admin of this org's workspace moderates the org's community
    assert len(fake.of("views.open")) == 1


async def test_listed_moderators_and_local_admins_still_moderate(make_slack: Any,
                                                                 service: Any) -> None:
    slack = await make_slack(service)
    slack.fake.foreign["UMOD"] = {"team_id": "T2"}  # listed by id in SLACK_MODERATOR_USERS
    await slack.command("add", user="UADMIN")
    await slack.command("add", user="UMOD")
    assert len(slack.fake.of("views.open")) == 2

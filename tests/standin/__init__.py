"""A local Discord for end-to-end tests: REST API and gateway on 127.0.0.1.

The real bot runs unmodified in the test's event loop; only ``discord.http.Route.BASE`` points
at the stand-in (``run_bot`` does that), and ``GET /gateway/bot`` sends it to the stand-in's
websocket. Everything the bot sends is recorded and checked against Discord's limits.

The stand-in reads the time only from the ``clock`` it is given (a callable returning an aware
datetime): snowflake ids, message timestamps and the "must be in the future" check of scheduled
events all follow it. Give it the test's clock, the one the bot's core runs on, and no outcome
depends on the calendar. Start and run a bot::

    async with DiscordStandIn(clock=clock) as standin:  # or the ``standin`` fixture
        async with run_bot(MyBot(...), standin) as bot:   # login, sync, READY; assert_clean at exit
            result = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
            assert "Another Round" in result.text

The server (:class:`GuildSpec`; the defaults): "Movie Club" with text channel "movie-night",
roles @everyone and "Mods" (Manage Server), members ``owner`` (the server owner), ``mod``
(in Mods), ``ana`` and ``ben``; ``ana`` invokes unless ``user=`` says otherwise. The bot's
own role has :func:`default_bot_permissions` (incl. Manage Events); take one away with
``GuildSpec(bot_permissions=discord.Permissions(default_bot_permissions().value,
manage_events=False))``. The server's language is ``GuildSpec(preferred_locale="fr")`` (the
default ``en-US``): the guild's ``preferred_locale`` and the ``guild_locale`` of interactions.
Channel overwrites go in ``ChannelSpec(overwrites=...)``.

Ids: ``standin.guild.id``, ``standin.channel_id("movie-night")``, ``standin.role_id("Mods")``,
``standin.user_id("mod")`` (``"bot"`` is the bot; also the application id),
``standin.guild.permissions("mod", channel)``.

Acting as members (each returns once the bot has answered, or fails with "the application did
not respond to …" after ``interaction_timeout`` seconds, or at once if the bot crashed):

- ``await standin.invoke("config modrole", {"role": "Mods"}, user="mod", channel=...)``: a
  slash command; subcommands in the name; option values typed by the registered definition
  (members by key, channels and roles by name, attachments from ``add_attachment``). A value
  Discord's client would not send (unknown or missing option, outside choices or ranges)
  raises ValueError; a command hidden by ``default_member_permissions`` raises PermissionError
  (``ignore_default_permissions=True`` plays an admin's override). ``dm=True`` runs it in a DM;
  ``dm=True, user_install=True`` through the app installed on the member's own account.
- ``standin.say("we should watch amelie", user="ben")`` posts a member's message (its id);
  ``await standin.message_menu("Find this film", message_id, user="ana")`` uses a message
  context menu on it (the interaction carries the message in ``resolved.messages``).
- ``await standin.autocomplete("movie", {"title": "ame"}, focused="title")`` -> choices.
- ``await standin.click(result_or_message, custom_id, user=...)`` (buttons) and
  ``await standin.select(result_or_message, custom_id, values)`` (select menus).
- ``await standin.submit_modal(result, {input_custom_id: text})`` for a result that opened one.

An :class:`InteractionResult` has ``type`` (callback type), ``message`` (the original
response: ``content``, ``embeds``, ``components``, ``flags``, ``ephemeral``,
``allowed_mentions``, ``text``, ``custom_ids``, ``button(label)``), ``message_id``,
``followups``, ``messages``, ``text``, ``modal``, ``choices`` and ``await wait_followups(n)``.
``wait="callback"`` returns right after the callback instead of waiting out a deferral.

Looking at what the bot did: ``standin.channel_messages("movie-night")`` (visible messages,
oldest first), ``standin.message(id)``, ``standin.requests`` (every request; ``payload``,
``files``, ``query``, ``authorized``), ``standin.message_requests`` and
``standin.allowed_mentions`` (per message-sending request), ``standin.commands()`` /
``standin.commands(guild)``, ``standin.commands_synced`` (count of command PUTs),
``standin.events()`` (scheduled events; ``standin.mark_interested(event_id, "ana")`` marks one
*Interested*, as ``GET …/scheduled-events/{id}/users`` then lists), ``standin.gateway``
(``identifies``, ``identify_log``, ``resumes``, ``heartbeats``, ``disconnects``, ``sessions``
by shard id, ``session.presence``).

Rules and faults: ``standin.violations`` lists what Discord would have refused (over a limit,
a second or late interaction callback, a callback type the interaction does not allow, an
edit of a response that does not exist, a missing token) and every unknown endpoint; each
was answered like Discord would (400/404). ``standin.assert_clean()`` raises listing them;
``standin.take_violations()`` returns and forgets them, for tests that provoke one.
``standin.fail("POST", "/channels/{channel_id}/messages", 403, times=1)`` injects a failure
(403 Missing Permissions, 404, 429, 500…; see :meth:`DiscordStandIn.fail` on retries).
The bot's missing permissions are real too: sends need View Channel and Send Messages, events
need Manage Events (or Create Events), each answered 403 like Discord.

Gateway: ``await standin.drop_gateway()`` closes the socket (code 4000); the bot resumes at
the ``resume_gateway_url`` and missed dispatches are replayed; ``await standin.wait_resumed()``.
Interactions sent while the socket is down wait for the resume. ``await standin.dispatch(event,
data)`` sends any other dispatch (to its server's shard).

Shards: ``DiscordStandIn(shard_count=2, max_concurrency=1)`` is a bot Discord makes shard;
``GET /gateway/bot`` says so. The gateway keeps one session per shard: IDENTIFY must carry
``shard: [id, 2]`` (else closed with 4010, or 4011 if unsharded), READY and GUILD_CREATE cover
only that shard's servers, and each server's dispatches and interactions go to the session of
its shard ``(guild_id >> 22) % shard_count`` (DMs to shard 0). ``GuildSpec(shard=1)`` puts a
server on shard 1. An interaction for a shard no bot has identified fails at once ("Discord
could not deliver it") and is listed in ``standin.undelivered``; one for a shard whose socket
is down waits in its session for a RESUME. Two IDENTIFYs in one bucket (``shard_id %
max_concurrency``) under 5 s apart on the stand-in's clock are a violation (checked when
``shard_count > 1``): move the clock between starts, and give clients a ``before_identify_hook``
that does not sleep. ``drop_gateway(shard=1)`` and ``wait_resumed(shard=1)`` take a shard.
Several bots (processes) may run at once, each under its own ``run_bot`` or
``restartable_bot``, e.g. ``AutoShardedClient(shard_ids=[1], shard_count=2, ...)``; they stop
in any order.

Held sends: ``held = standin.hold_next_send(channel)`` (a name in the first server, or any
channel id) stops the bot's next ``POST /channels/{id}/messages`` there: ``await
held.arrived`` returns the request once it reached the stand-in, then ``held.release()``
carries it out as usual, or ``held.drop()`` loses it (never carried out, as if the process died
before its request reached Discord; the bot's connection is closed unanswered, and
``request.dropped`` is set).

Kill: ``await kill_bot(bot)`` (or ``await bots.kill()`` on a restartable bot) ends a bot as
``kill -9`` ends a process: its sockets end without a close frame (``gateway.disconnects``
shows 1006; the sessions stay, waiting for a RESUME that never comes), its held sends are
dropped, nothing it does afterwards reaches the stand-in. ``client_tag(bot)`` is how the
stand-in knows each running bot (``RecordedRequest.client``, ``Session.client``).

Latency: ``DiscordStandIn(latency=0.12, jitter=0.03, seed=1)``, or ``standin.latency = 0.15``
at any time, is Discord's round trip: every REST request of the bot (and attachment download)
waits that long, plus a seeded draw of up to ``jitter``, before it takes effect and is
answered. The gateway is not delayed. The 3 s deadline counts from sending the interaction to
the callback's *arrival*, before the delay, as Discord's does; ``result.callback_after`` and
``result.answered_after`` (the callback, or the edit or followup after a deferral) are seconds
measured the same way, so ``assert result.answered_after < 3`` is Discord's rule.

Bursts: ``await standin.burst([standin.click(vote, button, user=key) for key in keys],
spacing=0.02)`` sends many interactions at once (or ``spacing`` apart) and waits for them all;
one AssertionError lists every one left unanswered. ``GuildSpec().with_members(50)`` adds
members ``member1`` … ``member50`` (``spec.member_keys("member")``).

Restarts: ``async with restartable_bot(start, standin) as bots`` runs the client that
``start()`` yields (an async context manager that also opens and closes what the process holds,
such as its database); ``await bots.restart()`` ends it as a process ends and starts a new one;
``bots.bot`` is the one running. The stand-in keeps its messages with their components,
commands, events and interaction tokens; the old bot's memory (views, forms waiting for a
submit, caches, cooldowns) is gone, and the new bot identifies afresh. ``tests/e2e`` has the
movienight ``bots`` fixture on top.

Files: ``standin.add_attachment(filename, data, content_type)`` hosts an upload at
``http://127.0.0.1:PORT/attachments/…`` (``discord.Attachment.read()`` works); files the bot
uploads are hosted the same way and listed in the message's ``attachments``.
"""

from tests.standin.gateway import Session
from tests.standin.guild import (
    ChannelSpec,
    Guild,
    GuildSpec,
    MemberSpec,
    RoleSpec,
    default_bot_permissions,
    default_everyone_permissions,
)
from tests.standin.holds import HeldSend
from tests.standin.interactions import InteractionResult
from tests.standin.messages import StoredMessage
from tests.standin.recording import Fault, RecordedRequest, Violation
from tests.standin.runner import Restartable, client_tag, kill_bot, restartable_bot, run_bot
from tests.standin.snowflakes import shard_of
from tests.standin.standin import DiscordStandIn

__all__ = [
    "ChannelSpec",
    "DiscordStandIn",
    "Fault",
    "Guild",
    "GuildSpec",
    "HeldSend",
    "InteractionResult",
    "MemberSpec",
    "RecordedRequest",
    "Restartable",
    "RoleSpec",
    "Session",
    "StoredMessage",
    "Violation",
    "client_tag",
    "default_bot_permissions",
    "default_everyone_permissions",
    "kill_bot",
    "restartable_bot",
    "run_bot",
    "shard_of",
]

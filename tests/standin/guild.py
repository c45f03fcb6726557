"""The servers the stand-in hosts: specs a test writes, and the payloads Discord would send.

A :class:`GuildSpec` describes a server by names (channels, roles, members by a short key such
as ``"mod"``); :class:`Guild` gives it snowflake ids, answers lookups, builds GUILD_CREATE and
member/channel payloads, and computes permissions the way Discord does (roles, then channel
overwrites for @everyone, roles and the member; the owner and Administrator get everything).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from discord import Permissions

TEXT, VOICE, CATEGORY, STAGE = 0, 2, 4, 13
BOT_KEY = "bot"
EVERYONE = "@everyone"
ALL_PERMISSIONS = Permissions.all().value


def default_everyone_permissions() -> Permissions:
    """What @everyone may do in a fresh server (reading, writing, using app commands)."""
    return Permissions(
        view_channel=True,
        send_messages=True,
        read_message_history=True,
        embed_links=True,
        attach_files=True,
        add_reactions=True,
        use_application_commands=True,
        connect=True,
        speak=True,
        change_nickname=True,
        create_public_threads=True,
        send_messages_in_threads=True,
        external_emojis=True,
    )


def default_bot_permissions() -> Permissions:
    """The bot's own role: what it needs to post cards and to create the weekly event."""
    return Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        manage_events=True,
        create_events=True,
    )


@dataclass(frozen=True)
class RoleSpec:
    name: str
    permissions: Permissions = field(default_factory=Permissions.none)


@dataclass(frozen=True)
class MemberSpec:
    """A member; ``key`` names it in tests and is also its username."""

    key: str
    roles: tuple[str, ...] = ()
    nick: str | None = None


@dataclass(frozen=True)
class ChannelSpec:
    """A channel; ``overwrites`` maps "@everyone", a role name, a member key or "bot" to
    ``(allow, deny)``."""

    name: str
    type: int = TEXT
    topic: str | None = None
    overwrites: Mapping[str, tuple[Permissions, Permissions]] = field(default_factory=dict)


@dataclass(frozen=True)
class GuildSpec:
    """A server. The defaults are the movie club every e2e test starts from."""

    name: str = "Movie Club"
    channels: tuple[ChannelSpec, ...] = (ChannelSpec("movie-night", topic="Pick the film"),)
    roles: tuple[RoleSpec, ...] = (RoleSpec("Mods", Permissions(manage_guild=True)),)
    members: tuple[MemberSpec, ...] = (
        MemberSpec("owner"),
        MemberSpec("mod", roles=("Mods",)),
        MemberSpec("ana"),
        MemberSpec("ben"),
    )
    owner: str = "owner"
    default_member: str = "ana"
    everyone_permissions: Permissions = field(default_factory=default_everyone_permissions)
    bot_permissions: Permissions = field(default_factory=default_bot_permissions)
    preferred_locale: str = "en-US"
    """The server's language (Server Settings → Community), a Discord locale code: the guild's
    ``preferred_locale`` and every interaction's ``guild_locale`` there."""
    shard: int | None = None
    """The shard (of the stand-in's ``shard_count``) the server's id puts it on; None: any."""

    def with_members(self, count: int, prefix: str = "member") -> GuildSpec:
        """This server with ``count`` more plain members, keyed ``member1`` … ``member<count>``
        (see :meth:`member_keys`), for bursts of many members at once."""
        taken = {member.key for member in self.members}
        added = tuple(MemberSpec(f"{prefix}{n}") for n in range(1, count + 1))
        clashes = taken & {member.key for member in added}
        if clashes:
            raise ValueError(f"members {sorted(clashes)} exist already")
        return replace(self, members=self.members + added)

    def member_keys(self, prefix: str = "") -> list[str]:
        """The keys of the members, in order; with ``prefix``, only those starting with it."""
        return [member.key for member in self.members if member.key.startswith(prefix)]


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": None if bot else name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


class Guild:
    """A hosted server with ids assigned (``guild_id`` its own, the rest from ``new_id``);
    ``users`` is the stand-in's user registry by key."""

    def __init__(
        self,
        spec: GuildSpec,
        guild_id: int,
        new_id: Callable[[], int],
        users: dict[str, dict[str, Any]],
        bot_user: dict[str, Any],
        joined_at: str,
    ) -> None:
        self.spec = spec
        self.id = guild_id
        self.name = spec.name
        self.joined_at = joined_at
        self._users = users
        self.role_ids: dict[str, int] = {EVERYONE: self.id}
        self.roles: dict[int, dict[str, Any]] = {
            self.id: self._role(self.id, EVERYONE, spec.everyone_permissions, 0)
        }
        for position, role in enumerate(spec.roles, start=1):
            self._add_role(new_id(), role.name, role.permissions, position)
        bot_role = new_id()
        self._add_role(bot_role, bot_user["username"], spec.bot_permissions, len(spec.roles) + 1)
        self.roles[bot_role]["managed"] = True
        self.roles[bot_role]["tags"] = {"bot_id": bot_user["id"]}
        self.member_keys: dict[int, str] = {int(bot_user["id"]): BOT_KEY}
        self.members: dict[int, dict[str, Any]] = {
            int(bot_user["id"]): self._member(bot_user, [bot_role], None)
        }
        for member in spec.members:
            user = users.setdefault(member.key, user_payload(new_id(), member.key))
            role_ids = [self.role_id(name) for name in member.roles]
            self.members[int(user["id"])] = self._member(user, role_ids, member.nick)
            self.member_keys[int(user["id"])] = member.key
        self.owner_id = self.member_id(spec.owner)
        self.channels: dict[int, dict[str, Any]] = {}
        self.channel_ids: dict[str, int] = {}
        for position, channel in enumerate(spec.channels):
            channel_id = new_id()
            self.channel_ids[channel.name] = channel_id
            self.channels[channel_id] = self._channel(channel_id, channel, position)

    # lookups

    def role_id(self, name: str) -> int:
        try:
            return self.role_ids[name]
        except KeyError:
            roles = list(self.role_ids)
            raise KeyError(f"no role {name!r} in {self.name!r}; roles: {roles}") from None

    def member_id(self, key: str | int) -> int:
        if isinstance(key, int):
            if key not in self.members:
                raise KeyError(f"no member with id {key} in {self.name!r}")
            return key
        for user_id, member_key in self.member_keys.items():
            if member_key == key:
                return user_id
        raise KeyError(
            f"no member {key!r} in {self.name!r}; members: {list(self.member_keys.values())}"
        )

    def channel_id(self, name: str | int) -> int:
        if isinstance(name, int):
            if name not in self.channels:
                raise KeyError(f"no channel with id {name} in {self.name!r}")
            return name
        try:
            return self.channel_ids[name]
        except KeyError:
            channels = list(self.channel_ids)
            raise KeyError(f"no channel {name!r} in {self.name!r}; channels: {channels}") from None

    @property
    def default_channel_id(self) -> int:
        return next(cid for cid, c in self.channels.items() if c["type"] == TEXT)

    # permissions

    def permissions(self, member: str | int, channel: str | int | None = None) -> int:
        """The member's permissions, in ``channel`` if given (with its overwrites)."""
        user_id = self.member_id(member)
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member_roles = [int(r) for r in self.members[user_id]["roles"]]
        value = int(self.roles[self.id]["permissions"])
        for role_id in member_roles:
            value |= int(self.roles[role_id]["permissions"])
        if value & Permissions(administrator=True).value:
            return ALL_PERMISSIONS
        if channel is None:
            return value
        overwrites = {
            int(o["id"]): o
            for o in self.channels[self.channel_id(channel)]["permission_overwrites"]
        }
        for targets in ([self.id], member_roles, [user_id]):
            allow = deny = 0
            for target in targets:
                if target in overwrites:
                    allow |= int(overwrites[target]["allow"])
                    deny |= int(overwrites[target]["deny"])
            value = (value & ~deny) | allow
        return value

    def bot_can(self, channel: str | int | None, **flags: bool) -> bool:
        """Whether the bot has every named permission (``view_channel=True``, …)."""
        wanted = Permissions(**flags).value
        return self.permissions(BOT_KEY, channel) & wanted == wanted

    # payloads

    def member_payload(self, member: str | int, *, with_user: bool = True) -> dict[str, Any]:
        data = dict(self.members[self.member_id(member)])
        if not with_user:
            data.pop("user")
        return data

    def channel_payload(self, channel: str | int) -> dict[str, Any]:
        return dict(self.channels[self.channel_id(channel)])

    def guild_create(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.spec.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "emojis": [],
            "stickers": [],
            "roles": list(self.roles.values()),
            "channels": list(self.channels.values()),
            "threads": [],
            "members": list(self.members.values()),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "joined_at": self.joined_at,
            "application_id": None,
        }

    # building

    def _role(self, role_id: int, name: str, permissions: Permissions, position: int) -> dict:
        return {
            "id": str(role_id),
            "name": name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": position,
            "permissions": str(permissions.value),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def _add_role(self, role_id: int, name: str, permissions: Permissions, position: int) -> None:
        self.role_ids[name] = role_id
        self.roles[role_id] = self._role(role_id, name, permissions, position)

    def _member(self, user: dict[str, Any], roles: list[int], nick: str | None) -> dict:
        return {
            "user": user,
            "nick": nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in roles],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }

    def _channel(self, channel_id: int, spec: ChannelSpec, position: int) -> dict[str, Any]:
        overwrites = []
        for target, (allow, deny) in spec.overwrites.items():
            is_role = target == EVERYONE or target in self.role_ids
            overwrites.append(
                {
                    "id": str(self.role_id(target) if is_role else self.member_id(target)),
                    "type": 0 if is_role else 1,
                    "allow": str(allow.value),
                    "deny": str(deny.value),
                }
            )
        data: dict[str, Any] = {
            "id": str(channel_id),
            "type": spec.type,
            "guild_id": str(self.id),
            "name": spec.name,
            "position": position,
            "permission_overwrites": overwrites,
            "parent_id": None,
            "nsfw": False,
            "flags": 0,
        }
        if spec.type == TEXT:
            data.update(topic=spec.topic, rate_limit_per_user=0, last_message_id=None)
        elif spec.type in (VOICE, STAGE):
            data.update(bitrate=64000, user_limit=0, rtc_region=None, rate_limit_per_user=0)
        return data

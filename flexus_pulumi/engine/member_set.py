"""The instances of one resource, and everything done to them.

A :class:`MemberSet` is the set of instances one resource owns — one for an ``Instance``,
``count`` for an ``InstanceGroup`` — found by their purchase tag (see :mod:`.identity`).
It buys (in orders of at most 200, placed together and waited for in one loop), adopts
what an earlier attempt bought, reconciles the recorded members with Config, reads their
servers, converges them, scales, and unsubscribes — the same code whatever the size.
Whether an order or an instance is this resource's to take, and what an order bought, is
decided by the process's :class:`~.ledger.Ledger`, never here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flexus_pulumi import catalog
from flexus_pulumi.cloud import (
    ConfigResource,
    FlexusClient,
    ImageRef,
    PurchaseRequest,
    ServerDetails,
    Tag,
)
from flexus_pulumi.cloud.models import ExtraResource
from flexus_pulumi.schema.instance_rules import removal_order
from flexus_pulumi.schema.specs import PurchaseSpec, ServerSpec

from .converge import Converged, Previous, converge
from .ecs_batch import EcsBatch, Pacer, ids_text
from .identity import PURCHASE_TAG, STACK_TAG, key_of, purchase_tags
from .ledger import UNSUBSCRIBE_MAX, Ledger, Placed
from .member import Member
from .progress import reporter, say

#: A purchase leaving more members than this reads every server while Config lists them.
BIG = 100
#: Instances one order can buy; more are split into orders of at most this many.
ORDER_MAX = catalog.QUANTITY_RANGE[1]


def order_sizes(quantity: int) -> list[int]:
    """Orders of at most :data:`ORDER_MAX` making up ``quantity``: 350 → [200, 150]."""
    full, rest = divmod(quantity, ORDER_MAX)
    return [ORDER_MAX] * full + ([rest] if rest else [])


def purchase_request(
    spec: PurchaseSpec, quantity: int, marks: Sequence[tuple[str, str]]
) -> PurchaseRequest:
    """The typed purchase request for ``quantity`` instances of ``spec``, tagged with the
    user's tags and ``marks``."""
    image = spec.image
    return PurchaseRequest(
        instance_name=spec.name,
        description=spec.description,
        plan_spec=spec.plan_spec,
        image_ref=(
            ImageRef(image_id=image.id)
            if image.id
            else ImageRef(image_name=image.name, image_version=image.version)
        ),
        region=spec.region,
        period_type=spec.period_type,
        period_num=spec.period_num,
        purchase_quantity=quantity,
        is_auto_renew=spec.auto_renew,
        is_auto_pay=spec.auto_pay,
        extra_resources=[ExtraResource(type=k, size=s) for k, s in spec.extras] or None,
        tags=[Tag(key=k, value=v) for k, v in (*spec.tags, *marks)],
    )


@dataclass
class Reconciled:
    """Recorded members checked against Config: those still there (refreshed), those gone
    out of band, and instances carrying the tag that were not recorded."""

    members: list[Member]
    gone: list[Member] = field(default_factory=list)
    unrecorded: list[ConfigResource] = field(default_factory=list)


class MemberSet:
    """The instances carrying purchase tag ``tag`` in ``region``.

    ``ledger`` is the provider process's (it decides what is this resource's to adopt and
    what an order bought; default: a ledger of its own on the client's clock); ``label``
    names the resource in progress lines; ``numbered`` members (a group's) get
    ``-{index}`` server names and hostnames; ``stack`` completes the tags of what is bought
    (see :func:`~.identity.purchase_tags`)."""

    def __init__(
        self,
        client: FlexusClient,
        *,
        region: str,
        tag: str,
        label: str,
        ledger: Ledger | None = None,
        stack: str | None = None,
        numbered: bool = False,
    ) -> None:
        self.client = client
        self.ledger = ledger or Ledger(clock=client.clock)
        self.region = region
        self.tag = tag
        self.label = label
        self.stack = stack
        self.numbered = numbered
        #: Servers read along with a large purchase's listing, for :meth:`observe`.
        self._servers: dict[str, ServerDetails] = {}

    # -- finding ----------------------------------------------------------------------

    def listed(self) -> list[ConfigResource]:
        """The live instances carrying the tag, oldest first (one paged listing)."""
        return self.client.list_tagged(self.region, {PURCHASE_TAG: self.tag})

    def reconcile(
        self, recorded: Sequence[Member], listed: Sequence[ConfigResource] | None = None
    ) -> Reconciled:
        """Match the recorded members with the tagged instances Config lists."""
        instances = self.listed() if listed is None else list(listed)
        by_id = {i.id: i for i in instances}
        kept: list[Member] = []
        gone: list[Member] = []
        for member in recorded:
            instance = by_id.get(member.instance_id)
            if instance is None:
                gone.append(member)
            else:
                fresh = Member.from_cloud(instance, index=member.index, tag_key=PURCHASE_TAG)
                kept.append(fresh.changed(hostname=member.hostname))
        known = {m.instance_id for m in recorded}
        unrecorded = [i for i in instances if i.id not in known]
        if gone:
            say(
                self.label,
                f"{len(gone)} instance(s) no longer exist (unsubscribed outside Pulumi?): "
                + ids_text([f"{m.name} {m.instance_id}" for m in gone]),
            )
        return Reconciled(kept, gone, unrecorded)

    def observe(self, members: Sequence[Member]) -> list[Member]:
        """The members with their servers as ECS reports them now (name, status, hostname):
        one server listing call per 1000 members (one filtered call up to 100)."""
        ids = [m.server_id for m in members if m.server_id]
        if ids and all(i in self._servers for i in ids):
            servers, self._servers = self._servers, {}
        else:
            servers = {s.id: s for s in self.client.list_servers(ids)} if ids else {}
        return [
            m.with_server(servers[m.server_id]) if m.server_id in servers else m for m in members
        ]

    # -- buying -----------------------------------------------------------------------

    def settle_earlier(self, spec: PurchaseSpec) -> None:
        """Wait until what earlier, interrupted attempts bought is listed (see
        :meth:`~.ledger.Ledger.settle_earlier`)."""
        self.ledger.settle_earlier(
            self.client,
            plan_spec=spec.plan_spec,
            order_timeout=spec.order_timeout,
            listing_tags={STACK_TAG: self.stack} if self.stack else {PURCHASE_TAG: self.tag},
            label=self.label,
        )

    def adopt_or_buy(
        self,
        spec: PurchaseSpec,
        quantity: int,
        *,
        have: Sequence[Member] = (),
        key: str = "",
        replaced: str | None = None,
        settled: bool = False,
        surplus_timeout: float | None = None,
    ) -> list[Member]:
        """``quantity`` more members: first those an earlier, interrupted attempt bought
        (carrying the tag but not in ``have``), then a purchase of the rest — once what
        earlier orders bought is listed (unless ``settled`` already). An earlier attempt
        that bought more than is asked now leaves a surplus: the newest of it is
        unsubscribed (waiting at most ``surplus_timeout``, default the order timeout), so
        that no instance carrying the tag is left unmanaged. Instances the resource
        (``key``) bought for another purchase than this one and ``replaced`` (the one a
        replacement replaces) stop it: nothing more is bought while they bill unmanaged.
        New members take the lowest free slots."""
        if not settled:
            self.settle_earlier(spec)
        plan = self.ledger.adoption(
            self.client,
            region=self.region,
            tag=self.tag,
            quantity=quantity,
            have=[m.instance_id for m in have],
            key=key,
            stack=self.stack,
            replaced=replaced,
        )
        if plan.keep:
            say(
                self.label,
                f"adopting {len(plan.keep)} instance(s) bought by an earlier attempt: "
                + ids_text([i.id for i in plan.keep]),
            )
            self.ledger.took_over(key_of(self.tag), [i.id for i in plan.keep])
        if plan.surplus:
            say(
                self.label,
                f"an earlier attempt bought {len(plan.surplus)} more than the {quantity} asked "
                f"now: unsubscribing them ({ids_text([i.id for i in plan.surplus])})",
            )
            self.unsubscribe(
                [i.id for i in plan.surplus],
                timeout=spec.order_timeout if surplus_timeout is None else surplus_timeout,
            )
        bought = self.buy(spec, plan.buy, already=len(have) + len(plan.keep)) if plan.buy else []
        return slot(have, [*plan.keep, *bought])

    def buy(self, spec: PurchaseSpec, quantity: int, *, already: int) -> list[ConfigResource]:
        """Buy ``quantity`` instances: orders of at most :data:`ORDER_MAX`, all placed,
        then waited for together; returns what those orders bought (by their own record)
        once Config lists it, oldest first. ``already`` instances carry the tag before this
        purchase."""
        sizes = order_sizes(quantity)
        marks = purchase_tags(self.tag, self.stack)
        if len(sizes) > 1:
            say(
                self.label,
                f"{quantity} instances: {len(sizes)} orders of at most {ORDER_MAX}, placed together",
            )
        spec_info = catalog.PLAN_SPECS.get(spec.plan_spec)
        with self.ledger.operation() as op:
            known = self.ledger.newest_orders(self.client)
            placed: list[Placed] = []
            for size in sizes:
                order = self.ledger.place(
                    self.client,
                    purchase_request(spec, size, marks),
                    op,
                    known=known,
                    order_timeout=spec.order_timeout,
                    progress=reporter(self.label, "purchase"),
                )
                placed.append(order)
                known.add(order.order_id)
                say(
                    self.label,
                    f"order {order.order_id} placed: {size} x {spec.plan_spec}"
                    + (f" ({spec_info.summary})" if spec_info else "")
                    + f" in {spec.region}",
                )
                if not spec.auto_pay:
                    say(
                        self.label,
                        f"order {order.order_id} waits for payment: pay it in the console",
                    )
            order_ids = [p.order_id for p in placed if p.order_id]
            self.client.wait_for_orders(
                order_ids,
                timeout=spec.order_timeout,
                progress=reporter(self.label, "order"),
                wait_for_payment=not spec.auto_pay,
            )
            # A large purchase: ECS lists the servers (for observe) while Config lists
            # the instances.
            with ThreadPoolExecutor(1, thread_name_prefix="flexus-servers") as pool:
                servers = pool.submit(self.client.all_servers) if already + quantity > BIG else None
                bought = self.ledger.bought(
                    self.client,
                    placed,
                    region=self.region,
                    tag=self.tag,
                    timeout=spec.order_timeout,
                    progress=reporter(self.label, "listing"),
                )
                if servers is not None:
                    self._servers = {s.id: s for s in servers.result()}
        say(
            self.label,
            f"order{'s' if len(order_ids) > 1 else ''} {ids_text(order_ids)} completed: "
            + ids_text([i.id for i in bought]),
        )
        return bought

    # -- changing ---------------------------------------------------------------------

    def converge(
        self,
        members: Sequence[Member],
        spec: ServerSpec,
        previous: Previous,
        *,
        fresh: Collection[str] = (),
    ) -> Converged:
        """Bring every member's server to ``spec`` (see :mod:`.converge`)."""
        pacer = Pacer(sleep=self.client.clock.sleep, clock=self.client.clock.monotonic)
        batch = EcsBatch(self.client, self.label, spec.action_timeout, pacer)
        return converge(batch, members, spec, previous, fresh=fresh, numbered=self.numbered)

    def unsubscribe(self, instance_ids: Sequence[str], *, timeout: float) -> None:
        """Unsubscribe the instances (each with its whole bundle) and wait until Config no
        longer lists them — but those this run's replacement of the same resource took over,
        which stay (see :meth:`~.ledger.Ledger.taken_over`)."""
        kept = self.ledger.taken_over(key_of(self.tag), instance_ids)
        if kept:
            say(
                self.label,
                f"{ids_text(kept)} stay: this run's replacement of the resource took them over "
                "(a replacement forced with nothing changed — `pulumi up --replace`, a tainted "
                "resource — cannot be told from the rerun of an interrupted create); to buy "
                "anew, change replace_trigger",
            )
            instance_ids = [i for i in instance_ids if i not in kept]
        if not instance_ids:
            return
        done = self.ledger.unsubscribe(self.client, instance_ids)
        calls = -(-len(instance_ids) // UNSUBSCRIBE_MAX)
        orders = f" (order {ids_text(done.order_ids)})" if done.order_ids else ""
        say(
            self.label,
            f"unsubscribed {ids_text(list(instance_ids))} in {calls} call(s){orders}",
        )
        took = self.ledger.wait_gone(
            self.client,
            instance_ids,
            region_id=self.region,
            tags={PURCHASE_TAG: self.tag},
            timeout=timeout,
            progress=reporter(self.label, "unsubscribe"),
        )
        say(self.label, f"{len(instance_ids)} instance(s) gone after {took:.0f} s")


def slot(have: Sequence[Member], instances: Sequence[ConfigResource]) -> list[Member]:
    """``instances`` as new members in the lowest slots ``have`` leaves free."""
    taken = {m.index for m in have}
    slots: list[int] = []
    candidate = 1
    while len(slots) < len(instances):
        if candidate not in taken:
            slots.append(candidate)
        candidate += 1
    return [
        Member.from_cloud(i, index=n, tag_key=PURCHASE_TAG)
        for i, n in zip(instances, slots, strict=True)
    ]


def choose_removals(
    members: Sequence[Member], how_many: int, remove_first: Sequence[str] = ()
) -> list[Member]:
    """The members a scale-in by ``how_many`` unsubscribes (see
    :func:`~flexus_pulumi.schema.instance_rules.removal_order`)."""
    by_id = {m.instance_id: m for m in members}
    order = removal_order([m.instance_id for m in members], how_many, remove_first)
    return [by_id[i] for i in order]


def members_of(records: object) -> list[Member]:
    """Recorded members (a group's ``instances`` output), skipping anything unreadable."""
    if not isinstance(records, list):
        return []
    return [
        Member.from_record(r) for r in records if isinstance(r, Mapping) and r.get("instance_id")
    ]


__all__ = [
    "ORDER_MAX",
    "MemberSet",
    "Reconciled",
    "choose_removals",
    "members_of",
    "order_sizes",
    "purchase_request",
    "slot",
]

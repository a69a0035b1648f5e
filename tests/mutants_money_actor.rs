//! The actor's accessors and the money schema, asserted so that a mutant of either is
//! noticed (issue 17).

use service_recovery::approval::Role;
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::{Actor, ActorRef};

#[test]
fn an_actor_holds_only_its_roles_and_is_referred_to_by_id_and_name() {
    let sue = Actor::builder()
        .id("sup-1")
        .name("Sue Park")
        .roles([Role::new("supervisor"), Role::new("trainer")].into())
        .build();
    for (role, held) in [
        ("supervisor", true),
        ("trainer", true),
        ("manager", false),
        ("Supervisor", false),
    ] {
        assert_eq!(sue.has_role(&Role::new(role)), held, "{role}");
    }
    let nobody = Actor::builder().id("a-0").name("Nobody").build();
    assert!(!nobody.has_role(&Role::new("agent")));
    let reference = sue.reference();
    assert_eq!(reference, ActorRef::new("sup-1", "Sue Park"));
    assert_eq!(reference.id.as_str(), "sup-1");
    assert_eq!(&*reference.name, "Sue Park");
    assert_eq!(reference.to_string(), "Sue Park");
    assert_eq!(ActorRef::new("a-7", "Dana").to_string(), "Dana");
}

#[test]
fn a_currency_is_described_once_in_the_schema_by_its_pattern() {
    let schema = serde_json::to_value(schemars::schema_for!(Money)).unwrap();
    assert_eq!(
        schema["properties"]["currency"]["$ref"], "#/$defs/Currency",
        "{schema}"
    );
    let currency = &schema["$defs"]["Currency"];
    assert_eq!(currency["type"], "string", "{schema}");
    assert_eq!(currency["pattern"], "^[A-Z]{3}$", "{schema}");
    assert_eq!(
        currency["description"],
        "An ISO 4217 currency code: exactly three ASCII uppercase letters."
    );
    let alone = serde_json::to_value(schemars::schema_for!(Currency)).unwrap();
    assert_eq!(alone["title"], "Currency", "{alone}");
    assert_eq!(alone["pattern"], "^[A-Z]{3}$", "{alone}");
}

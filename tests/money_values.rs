//! Money as people read it and as the ledgers rely on it: every predicate, accessor and
//! text of `service_recovery::money`, as tables of input and expected value.

use service_recovery::money::{Currency, Money, MoneyError, MoneyOperation, MoneyTotals};
use std::cmp::Ordering;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

#[test]
fn zero_and_sign_of_amounts() {
    // (minor units, is_zero, is_negative)
    let table: &[(i64, bool, bool)] = &[
        (0, true, false),
        (1, false, false),
        (-1, false, true),
        (42_000, false, false),
        (-350, false, true),
        (i64::MAX, false, false),
        (i64::MIN, false, true),
    ];
    for &(minor, zero, negative) in table {
        let money = usd(minor);
        assert_eq!(money.is_zero(), zero, "is_zero of {minor}");
        assert_eq!(money.is_negative(), negative, "is_negative of {minor}");
    }
    assert!(Money::zero(Currency::JPY).is_zero());
    assert_eq!(Money::zero(Currency::JPY).currency(), Currency::JPY);
}

#[test]
fn accessors_give_back_what_was_built() {
    for (minor, currency) in [
        (42_000, Currency::USD),
        (-7, Currency::EUR),
        (0, Currency::GBP),
        (5_000, Currency::JPY),
        (1_500, Currency::KWD),
    ] {
        let money = Money::new(minor, currency);
        assert_eq!(money.minor(), minor);
        assert_eq!(money.currency(), currency);
    }
    assert_eq!(Money::zero(Currency::EUR), Money::new(0, Currency::EUR));
}

#[test]
fn currency_codes_digits_and_minor_units() {
    // (code, digits after the point, minor units per major unit)
    let table: &[(&str, u32, i64)] = &[
        ("USD", 2, 100),
        ("EUR", 2, 100),
        ("GBP", 2, 100),
        ("NZD", 2, 100),
        ("BIF", 0, 1),
        ("CLP", 0, 1),
        ("DJF", 0, 1),
        ("GNF", 0, 1),
        ("ISK", 0, 1),
        ("JPY", 0, 1),
        ("KMF", 0, 1),
        ("KRW", 0, 1),
        ("PYG", 0, 1),
        ("RWF", 0, 1),
        ("UGX", 0, 1),
        ("VND", 0, 1),
        ("VUV", 0, 1),
        ("XAF", 0, 1),
        ("XOF", 0, 1),
        ("XPF", 0, 1),
        ("BHD", 3, 1_000),
        ("IQD", 3, 1_000),
        ("JOD", 3, 1_000),
        ("KWD", 3, 1_000),
        ("LYD", 3, 1_000),
        ("OMR", 3, 1_000),
        ("TND", 3, 1_000),
    ];
    for &(code, digits, per_major) in table {
        let currency = Currency::new(code).expect("a valid code");
        assert_eq!(currency.as_str(), code);
        assert_eq!(currency.to_string(), code);
        assert_eq!(String::from(currency), code);
        assert_eq!(code.parse::<Currency>(), Ok(currency));
        assert_eq!(Currency::try_from(code.to_owned()), Ok(currency));
        assert_eq!(currency.minor_unit_digits(), digits, "digits of {code}");
        assert_eq!(
            currency.minor_per_major(),
            per_major,
            "minor units of {code}"
        );
    }
    for (constant, code) in [
        (Currency::USD, "USD"),
        (Currency::EUR, "EUR"),
        (Currency::GBP, "GBP"),
        (Currency::JPY, "JPY"),
        (Currency::KRW, "KRW"),
        (Currency::BHD, "BHD"),
        (Currency::KWD, "KWD"),
    ] {
        assert_eq!(constant.as_str(), code);
    }
    assert_eq!(
        "usd".parse::<Currency>(),
        Err(MoneyError::InvalidCurrency { code: "usd".into() })
    );
    assert_eq!(
        Currency::try_from("US".to_owned()),
        Err(MoneyError::InvalidCurrency { code: "US".into() })
    );
}

#[test]
fn amounts_as_people_read_them() {
    let table: &[(Money, &str)] = &[
        (usd(0), "USD 0.00"),
        (usd(1), "USD 0.01"),
        (usd(-1), "USD -0.01"),
        (usd(99), "USD 0.99"),
        (usd(100), "USD 1.00"),
        (usd(42_000), "USD 420.00"),
        (usd(99_999), "USD 999.99"),
        (usd(100_000), "USD 1,000.00"),
        (usd(240_000), "USD 2,400.00"),
        (usd(1_234_567), "USD 12,345.67"),
        (usd(12_345_678), "USD 123,456.78"),
        (usd(123_456_789), "USD 1,234,567.89"),
        (usd(-123_456_789), "USD -1,234,567.89"),
        (Money::new(0, Currency::JPY), "JPY 0"),
        (Money::new(7, Currency::JPY), "JPY 7"),
        (Money::new(999, Currency::JPY), "JPY 999"),
        (Money::new(5_000, Currency::JPY), "JPY 5,000"),
        (Money::new(-5_000, Currency::JPY), "JPY -5,000"),
        (Money::new(12_345, Currency::KRW), "KRW 12,345"),
        (Money::new(1_234_567, Currency::JPY), "JPY 1,234,567"),
        (Money::new(1_500, Currency::KWD), "KWD 1.500"),
        (Money::new(5, Currency::BHD), "BHD 0.005"),
        (Money::new(1_234_567, Currency::BHD), "BHD 1,234.567"),
        (Money::new(-350, Currency::EUR), "EUR -3.50"),
        (Money::new(5, Currency::GBP), "GBP 0.05"),
    ];
    for (money, text) in table {
        assert_eq!(money.to_string(), *text);
    }
}

#[test]
fn amounts_read_from_text() {
    let table: &[(&str, Money)] = &[
        ("USD 420.00", usd(42_000)),
        ("USD 420.5", usd(42_050)),
        ("USD 420", usd(42_000)),
        ("USD 0.01", usd(1)),
        ("USD 2,400.00", usd(240_000)),
        ("USD 1,234,567.89", usd(123_456_789)),
        ("USD 1234567.89", usd(123_456_789)),
        ("USD -3.50", usd(-350)),
        ("USD -1,000", usd(-100_000)),
        ("  USD 7  ", usd(700)),
        ("JPY 5000", Money::new(5_000, Currency::JPY)),
        ("JPY 5,000", Money::new(5_000, Currency::JPY)),
        ("KWD 1.5", Money::new(1_500, Currency::KWD)),
        ("KWD 1.005", Money::new(1_005, Currency::KWD)),
        ("BHD 12,345.678", Money::new(12_345_678, Currency::BHD)),
    ];
    for (text, money) in table {
        assert_eq!(text.parse::<Money>(), Ok(*money), "{text:?}");
    }
    for text in [
        "USD",
        "USD ",
        "USD 1,2345",
        "USD 1,2a4",
        "USD 1234,567",
        "USD 12,34",
        "USD a,234",
        "USD -",
        "USD 1.2a",
        "USD 1.-5",
        "USD 1.234",
        "KWD 1.5000",
        "JPY 1.0",
        "USD +5",
        "USD 1 000",
    ] {
        assert_eq!(
            text.parse::<Money>(),
            Err(MoneyError::InvalidAmount { input: text.into() }),
            "{text:?}"
        );
    }
}

#[test]
fn arithmetic_keeps_the_currency_and_the_value() {
    assert_eq!(usd(42_000).checked_add(usd(2_500)), Ok(usd(44_500)));
    assert_eq!(usd(42_000).checked_sub(usd(2_500)), Ok(usd(39_500)));
    assert_eq!(usd(2_500).checked_sub(usd(42_000)), Ok(usd(-39_500)));
    assert_eq!(usd(12_000).checked_mul(3), Ok(usd(36_000)));
    assert_eq!(usd(12_000).checked_mul(-1), Ok(usd(-12_000)));
    assert_eq!(usd(350).checked_neg(), Ok(usd(-350)));
    assert_eq!(usd(-350).checked_neg(), Ok(usd(350)));
    let eur = Money::new(300, Currency::EUR);
    assert_eq!(eur.checked_add(eur), Ok(Money::new(600, Currency::EUR)));
    assert_eq!(eur.checked_sub(eur), Ok(Money::new(0, Currency::EUR)));
    assert_eq!(eur.checked_mul(2), Ok(Money::new(600, Currency::EUR)));
    assert_eq!(eur.checked_neg(), Ok(Money::new(-300, Currency::EUR)));
}

#[test]
fn comparisons_within_one_currency() {
    let table: &[(i64, i64, Ordering)] = &[
        (1, 2, Ordering::Less),
        (2, 1, Ordering::Greater),
        (5, 5, Ordering::Equal),
        (-5, 0, Ordering::Less),
    ];
    for &(left, right, ordering) in table {
        assert_eq!(usd(left).checked_cmp(&usd(right)), Ok(ordering));
    }
    assert_eq!(
        Money::new(1, Currency::EUR).checked_cmp(&Money::new(1, Currency::GBP)),
        Err(MoneyError::CurrencyMismatch {
            left: Currency::EUR,
            right: Currency::GBP
        })
    );
}

#[test]
fn every_overflow_names_its_operation_and_currency() {
    let max = Money::new(i64::MAX, Currency::EUR);
    let min = Money::new(i64::MIN, Currency::EUR);
    let one = Money::new(1, Currency::EUR);
    let overflow = |operation| MoneyError::Overflow {
        operation,
        currency: Currency::EUR,
    };
    assert_eq!(max.checked_add(one), Err(overflow(MoneyOperation::Add)));
    assert_eq!(
        min.checked_sub(one),
        Err(overflow(MoneyOperation::Subtract))
    );
    assert_eq!(max.checked_mul(2), Err(overflow(MoneyOperation::Multiply)));
    assert_eq!(min.checked_neg(), Err(overflow(MoneyOperation::Negate)));
    assert_eq!(
        "EUR 92233720368547758.08".parse::<Money>(),
        Err(overflow(MoneyOperation::Parse))
    );
}

#[test]
fn money_errors_as_people_read_them() {
    let overflow = |operation| MoneyError::Overflow {
        operation,
        currency: Currency::USD,
    };
    let table: Vec<(MoneyError, &str)> = vec![
        (
            MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::JPY,
            },
            "cannot combine USD with JPY: the currencies differ",
        ),
        (
            overflow(MoneyOperation::Add),
            "adding amounts of USD overflowed: the result is too large",
        ),
        (
            overflow(MoneyOperation::Subtract),
            "subtracting amounts of USD overflowed: the result is too large",
        ),
        (
            overflow(MoneyOperation::Multiply),
            "multiplying amounts of USD overflowed: the result is too large",
        ),
        (
            overflow(MoneyOperation::Negate),
            "negating amounts of USD overflowed: the result is too large",
        ),
        (
            overflow(MoneyOperation::Parse),
            "reading amounts of USD overflowed: the result is too large",
        ),
        (
            MoneyError::InvalidCurrency { code: "usd".into() },
            "`usd` is not a currency code: use three uppercase letters such as USD",
        ),
        (
            MoneyError::InvalidAmount {
                input: "USD 4.2.0".into(),
            },
            "`USD 4.2.0` is not an amount of money: write it like `USD 420.00` or `JPY 5000`",
        ),
    ];
    for (error, text) in table {
        assert_eq!(error.to_string(), text);
    }
}

#[test]
fn totals_per_currency() -> Result<(), MoneyError> {
    let mut totals = MoneyTotals::new();
    assert!(totals.is_empty());
    assert_eq!(totals.iter().count(), 0);
    assert_eq!(totals.to_string(), "nothing");
    assert_eq!(totals.get(Currency::USD), usd(0));

    totals.add(usd(42_000))?;
    assert!(!totals.is_empty());
    assert_eq!(totals.to_string(), "USD 420.00");
    assert_eq!(totals.total_after(usd(500))?, usd(42_500));
    assert_eq!(
        totals.get(Currency::USD),
        usd(42_000),
        "total_after changes nothing"
    );

    totals.add(Money::new(1_000, Currency::EUR))?;
    totals.add(Money::new(5_000, Currency::JPY))?;
    totals.subtract(usd(2_000))?;
    assert_eq!(totals.get(Currency::USD), usd(40_000));
    assert_eq!(
        totals.iter().collect::<Vec<_>>(),
        vec![
            Money::new(1_000, Currency::EUR),
            Money::new(5_000, Currency::JPY),
            usd(40_000),
        ]
    );
    assert_eq!(totals.to_string(), "EUR 10.00, JPY 5,000, USD 400.00");

    // Subtracting what was never added leaves a negative sum, still listed.
    totals.subtract(Money::new(100, Currency::GBP))?;
    assert_eq!(totals.get(Currency::GBP), Money::new(-100, Currency::GBP));
    assert_eq!(
        totals.to_string(),
        "EUR 10.00, GBP -1.00, JPY 5,000, USD 400.00"
    );

    // A failed subtraction changes nothing.
    let before = totals.clone();
    assert_eq!(
        totals.subtract(Money::new(i64::MIN, Currency::EUR)),
        Err(MoneyError::Overflow {
            operation: MoneyOperation::Subtract,
            currency: Currency::EUR
        })
    );
    assert_eq!(totals, before);
    Ok(())
}

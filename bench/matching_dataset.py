"""Build the labelled candidate/applicant pairs that the matching benchmark scores.

Everything is generated from a seed with `random.Random`, from the name lists below,
so the same seed always gives the same pairs. Each pair is labelled as a duplicate
(one person entered twice) or not, and with the variation it exercises.

The contact-field rates (how often a sourced candidate or a JazzHR applicant has an
email, a phone or a LinkedIn URL) are assumptions about a sourcing product, not
measurements.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

import phonenumbers
from unidecode import unidecode

from integrations.jazzhr.matching import Person

DEFAULT_SEED = 20240611
PAIRS_PER_DUPLICATE_KIND = 60
DISTRACTORS_PER_POOL = 50


def _split(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(",") if name.strip())


# Given names and surnames per culture: (given names, surnames).
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "english": (
        _split(
            "James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, William,"
            " Elizabeth, David, Barbara, Richard, Susan, Joseph, Jessica, Thomas,"
            " Sarah, Charles, Karen, Christopher, Nancy, Daniel, Margaret, Matthew,"
            " Lisa, Anthony, Dorothy, Katherine, Samantha, Alexandra, Nicholas,"
            " Rebecca, Victoria, Jonathan, Benjamin, Edward, Timothy, Steven, Andrew,"
            " Emily, Hannah, Olivia, Grace, Ethan, Logan"
        ),
        _split(
            "Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson,"
            " Taylor, Thomas, Moore, Martin, Jackson, Thompson, White, Harris, Clark,"
            " Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green,"
            " Adams, Baker, Nelson, Carter, Mitchell, Campbell, Roberts, Turner,"
            " Phillips, Parker, Evans, Edwards, Collins, Stewart, O'Brien, O'Connor,"
            " McDonald, MacKenzie, Fitzgerald, Sullivan, Murphy, Kelly"
        ),
    ),
    "spanish": (
        _split(
            "José, María, Juan, Carmen, Luis, Lucía, Javier, Sofía, Andrés, Inés,"
            " Ángel, Raúl, Jesús, Mónica, Álvaro, Elena, Francisco, Guadalupe, Ignacio,"
            " Dolores, Alejandro, Beatriz, Tomás, Martín, Pilar, Enrique, Concepción,"
            " Daniela, Gabriela, Sergio"
        ),
        _split(
            "García, Martínez, López, González, Rodríguez, Fernández, Pérez, Sánchez,"
            " Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Hernández, Jiménez, Ruiz,"
            " Álvarez, Muñoz, Romero, Núñez, Castillo, Ortiz, Morales, Peña, Ibáñez,"
            " Vargas, Castro, Herrera, Medina"
        ),
    ),
    "portuguese": (
        _split(
            "João, Maria, Antônio, Ana, Francisco, Luíza, Sebastião, Conceição, Thiago,"
            " Gonçalo, Beatriz, Inês, Rodrigo, Vinícius, Letícia, Paulo, Fernanda,"
            " Mariana, Bruno, Camila"
        ),
        _split(
            "Silva, Santos, Oliveira, Souza, Pereira, Costa, Rodrigues, Almeida,"
            " Nascimento, Lima, Araújo, Fernandes, Carvalho, Gonçalves, Magalhães,"
            " Ribeiro, Barbosa, Rocha"
        ),
    ),
    "french": (
        _split(
            "François, Chloé, Hélène, Zoé, Jérôme, Amélie, Léa, Céline, Benoît, Élodie,"
            " Mathieu, Camille, Noël, Inès, Étienne, Margaux, Théo, Gaëlle"
        ),
        _split(
            "Dubois, Lefèvre, Moreau, Girard, Rousseau, Bérubé, Lefebvre, Fournier,"
            " Mercier, Boucher, Gagné, Côté, Lambert, Bonnet, Faure, Chevalier"
        ),
    ),
    "german": (
        _split(
            "Jürgen, Jörg, Günther, Björn, Lukas, Anja, Katrin, Sören, Matthias,"
            " Ursula, Dieter, Johannes, Katharina, Jonas, Lena, Felix"
        ),
        _split(
            "Müller, Schmidt, Schneider, Fischer, Weiß, Schäfer, Köhler, Groß,"
            " Hoffmann, Krüger, Becker, Wagner, Schulz, Zimmermann, Braun, Hartmann"
        ),
    ),
    "dutch": (
        _split(
            "Daan, Sanne, Joost, Anouk, Pieter, Femke, Thijs, Lotte, Maarten, Sjoerd,"
            " Bram, Eva, Ruben, Fleur"
        ),
        _split(
            "Jansen, Bakker, Visser, Smit, Meijer, Mulder, Bos, Vos, Peters, Hendriks,"
            " Dekker, Brouwer"
        ),
    ),
    "italian": (
        _split(
            "Giuseppe, Giulia, Francesca, Matteo, Chiara, Niccolò, Lorenzo, Alessandro,"
            " Federica, Salvatore, Giovanni, Martina, Davide, Elisa, Francesco, Carla,"
            " Mario, Antonio"
        ),
        _split(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino,"
            " Greco, Bruno, Gallo, Conti, Mancini, Costa, Giordano"
        ),
    ),
    "polish": (
        _split(
            "Łukasz, Małgorzata, Wojciech, Agnieszka, Paweł, Katarzyna, Bartłomiej,"
            " Zofia, Michał, Grzegorz, Anna, Piotr, Krzysztof, Joanna"
        ),
        _split(
            "Nowak, Kowalski, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński,"
            " Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski"
        ),
    ),
    "indian": (
        _split(
            "Priya, Rahul, Ananya, Arjun, Aishwarya, Vikram, Deepika, Sanjay, Lakshmi,"
            " Karthik, Venkatesh, Sneha, Rohan, Meera, Aditya, Pooja, Suresh, Kavya"
        ),
        _split(
            "Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Chatterjee,"
            " Banerjee, Venkataraman, Krishnamurthy, Subramanian, Mehta, Joshi, Rao,"
            " Desai, Pillai"
        ),
    ),
    "chinese": (
        _split(
            "Wei, Fang, Jing, Lei, Xiaoming, Yan, Hui, Jun, Mei, Zhiwei, Xinyi, Hao,"
            " Yuxuan, Jiahui, Ming, Lin"
        ),
        _split(
            "Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu,"
            " Hu, Guo"
        ),
    ),
    "vietnamese": (
        _split(
            "Anh, Minh, Linh, Thảo, Tuấn, Hương, Dũng, Phương, Quang, Ngọc, Trang,"
            " Hùng, Thủy, Khánh"
        ),
        _split("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ"),
    ),
    "korean": (
        _split(
            "Ji-hoon, Seo-yeon, Min-jun, Ha-eun, Do-hyun, Ji-woo, Seo-jun, Ye-jin,"
            " Hyun-woo, Soo-ah"
        ),
        _split("Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim"),
    ),
    "japanese": (
        _split(
            "Haruto, Yui, Sota, Hina, Ren, Aoi, Takeshi, Yuki, Kenji, Sakura, Daiki,"
            " Emi"
        ),
        _split(
            "Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura,"
            " Kobayashi, Saitō, Katō, Yoshida"
        ),
    ),
    "arabic": (
        _split(
            "Mohammed, Fatima, Ahmed, Aisha, Omar, Layla, Youssef, Mariam, Khalid,"
            " Nour, Hassan, Rania, Tariq, Salma"
        ),
        _split(
            "Haddad, Khoury, Nasser, Saleh, Abdullah, Hassan, Mansour, Aziz, Karimi,"
            " Rahman, Sabbagh, Darwish"
        ),
    ),
    "nigerian": (
        _split(
            "Chinedu, Ngozi, Oluwaseun, Adebayo, Chiamaka, Emeka, Funmilayo, Tunde,"
            " Ifeoma, Babajide, Kelechi, Yetunde"
        ),
        _split(
            "Okafor, Adeyemi, Okonkwo, Balogun, Eze, Nwosu, Adewale, Ogunleye, Obi,"
            " Olawale, Uchenna, Bello"
        ),
    ),
    "turkish": (
        _split(
            "Mehmet, Ayşe, Mustafa, Fatma, Emre, Zeynep, Çağrı, Gülşen, Ömer, Şule,"
            " Burak, Elif"
        ),
        _split(
            "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Özdemir, Arslan,"
            " Doğan, Kılıç"
        ),
    ),
    "greek": (
        _split("Giorgos, Eleni, Dimitris, Katerina, Nikos, Sofia, Kostas, Maria"),
        _split(
            "Papadopoulos, Georgiou, Nikolaidis, Christodoulou, Oikonomou, Pappas,"
            " Vlachos, Angelopoulos"
        ),
    ),
    "russian": (
        _split(
            "Aleksandr, Natalia, Dmitri, Svetlana, Sergei, Olga, Yekaterina, Mikhail,"
            " Irina, Andrei"
        ),
        _split(
            "Ivanov, Smirnova, Kuznetsov, Popova, Sokolov, Volkova, Lebedev, Morozova,"
            " Novikov, Fedorova"
        ),
    ),
}

# Surnames with particles, by culture; variants drop, glue or recapitalise them.
PARTICLE_SURNAMES: dict[str, tuple[str, ...]] = {
    "dutch": _split(
        "van der Berg, de Vries, van Dijk, de Jong, van den Bosch, van Leeuwen,"
        " de Boer, van der Meer, van Beek, de Groot"
    ),
    "portuguese": _split("da Silva, dos Santos, de Souza, da Costa, das Neves"),
    "french": _split("de la Fontaine, Le Roux, du Pont, Le Gall, de Villiers"),
    "german": _split("von Braun, von der Heide, von Weizsäcker"),
    "italian": _split("Di Stefano, De Luca, Lo Russo, Del Piero, Della Valle"),
    "spanish": _split("de la Cruz, del Río, de los Santos, de León"),
    "arabic": _split("Al-Farsi, El-Sayed, Al Mansour, Al-Amin, El Amrani"),
}

# (formal name, familiar form, culture), written from common usage in each culture.
NICKNAME_PAIRS: tuple[tuple[str, str, str], ...] = tuple(
    (formal, familiar, culture)
    for culture, pairs in {
        "english": (
            "Robert Bob, Robert Rob, William Bill, William Will, Elizabeth Liz,"
            " Elizabeth Beth, Elizabeth Betty, Margaret Peggy, Margaret Maggie,"
            " Richard Dick, Richard Rick, James Jim, James Jimmy, Katherine Kate,"
            " Katherine Kathy, Michael Mike, Anthony Tony, Thomas Tom, Joseph Joe,"
            " Jennifer Jen, Patricia Patty, Edward Ted, Charles Chuck, Daniel Danny,"
            " Rebecca Becky, Susan Sue, Dorothy Dot, Timothy Tim, Steven Steve,"
            " Andrew Drew, Matthew Matt, David Dave, Barbara Barb, Victoria Vicky"
        ),
        "spanish": (
            "José Pepe, Francisco Paco, Francisco Pancho, Ignacio Nacho,"
            " Guadalupe Lupe, Dolores Lola, Jesús Chucho, Enrique Quique,"
            " Concepción Concha, Alejandro Alex"
        ),
        "portuguese": "Antônio Tonho, Francisco Chico, Sebastião Tião, Luíza Lu",
        "german": "Johannes Hannes, Katharina Kathi, Matthias Matze",
        "italian": "Giuseppe Beppe, Giuseppe Peppe, Giovanni Gianni, Francesco Cecco",
        "russian": (
            "Aleksandr Sasha, Natalia Natasha, Dmitri Dima, Yekaterina Katya,"
            " Svetlana Sveta, Mikhail Misha"
        ),
        "polish": "Małgorzata Gosia, Katarzyna Kasia, Wojciech Wojtek",
        "nigerian": "Oluwaseun Seun, Babajide Jide, Funmilayo Funmi, Chiamaka Amaka",
        "arabic": "Mohammed Mo, Abdullah Abdul",
    }.items()
    for formal, familiar in (pair.split() for pair in _split(pairs))
)

# (full given name, short form that is its first letters, culture).
SHORT_FORM_PAIRS: tuple[tuple[str, str, str], ...] = tuple(
    tuple(triple.split())
    for triple in _split(
        "Christopher Chris english, Alexandra Alex english, Samantha Sam english,"
        " Daniel Dan english, Jonathan Jon english, Benjamin Ben english,"
        " Nicholas Nick english, Katherine Kath english, Natalia Nat russian,"
        " Venkatesh Venkat indian, Gabriela Gabi spanish, Federica Fede italian,"
        " Alessandro Ale italian, Krzysztof Krzys polish, Oluwaseun Olu nigerian,"
        " Xiaoming Xiao chinese"
    )
)

# Pairs of distinct given names one letter apart, used for near-name non-duplicates.
SIMILAR_NAME_PAIRS = tuple(
    tuple(pair.split())
    for pair in _split(
        "Daniel Daniela, Mario Maria, Francesco Francesca, Paulo Paula, Julio Julia,"
        " Antonio Antonia, Luis Luisa, Gabriel Gabriela, Carlo Carla, Jan Jon,"
        " Erin Erik, Dana Diana"
    )
)

# Gmail is listed four times to weigh it like the most common free provider.
FREE_EMAIL_DOMAINS = ("gmail.com",) * 4 + _split(
    "yahoo.com, outlook.com, hotmail.com, icloud.com, proton.me, gmx.de, yahoo.co.in,"
    " qq.com, mail.ru, orange.fr, libero.it, uol.com.br"
)
COMPANY_EMAIL_DOMAINS = _split(
    "acme.io, globex.com, initech.com, hooli.com, piedpiper.com, soylent.co,"
    " tyrell.com, cyberdyne.net, wonka.com, vandelay.com"
)
EMAIL_USER_PATTERNS = _split(
    "{first}.{last}, {first}{last}, {first}_{last}, {initial}{last},"
    " {first}.{last}{digits}, {first}{digits}, {last}.{first}, {initial}.{last}{digits}"
)
US_AREA_CODES = _split(
    "201, 206, 212, 213, 303, 305, 312, 404, 415, 469, 503, 512, 617, 646, 702, 718,"
    " 720, 773, 818, 917"
)
# Phone regions weighted by how often they appear; national formats of non-US numbers
# cannot be read without knowing their country.
PHONE_REGIONS = ("US",) * 12 + ("GB", "GB", "DE", "IN", "IN", "BR", "FR", "NG", "AU")
EMAIL_TAGS = ("jobs", "linkedin", "careers", "work", "apply2024", "recruit")

# Assumed rates for a sourcing product: sourced candidates usually carry an email
# and a LinkedIn URL, JazzHR applicants an email and often a phone.
CANDIDATE_FIELD_RATES = {"email": 0.85, "phone": 0.4, "linkedin_url": 0.8}
APPLICANT_FIELD_RATES = {"email": 0.95, "phone": 0.7, "linkedin_url": 0.3}
# For one person entered twice: how often two present values are the same.
SAME_VALUE_RATES = {"email": 0.7, "phone": 0.9, "linkedin_url": 0.95}


@dataclass(frozen=True)
class Identity:
    """A generated person with contact details in their stored form."""

    culture: str
    first_name: str
    last_name: str
    email: str
    phone: str
    linkedin_url: str

    def person(self, **changes: str) -> Person:
        fields = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "linkedin_url": self.linkedin_url,
        }
        fields.update(changes)
        return Person(**fields)


@dataclass(frozen=True)
class LabelledPair:
    candidate: Person
    applicant: Person
    is_duplicate: bool
    kind: str


class IdentityFactory:
    """Generates people whose emails, phones and LinkedIn slugs are all distinct."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def identity(
        self,
        culture: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        email_domain: str | None = None,
    ) -> Identity:
        culture = culture or self.rng.choice(sorted(CULTURES))
        given_names, surnames = CULTURES[culture]
        first_name = first_name or self.rng.choice(given_names)
        last_name = last_name or self.rng.choice(surnames)
        return Identity(
            culture=culture,
            first_name=first_name,
            last_name=last_name,
            email=self.email(first_name, last_name, email_domain),
            phone=self.phone(),
            linkedin_url=self.linkedin_url(first_name, last_name),
        )

    def email(self, first_name: str, last_name: str, domain: str | None = None) -> str:
        first, last = _email_word(first_name), _email_word(last_name)
        if domain is None:
            pool = (
                FREE_EMAIL_DOMAINS if self.rng.random() < 0.7 else COMPANY_EMAIL_DOMAINS
            )
            domain = self.rng.choice(pool)
        pattern = self.rng.choice(EMAIL_USER_PATTERNS)
        user = pattern.format(
            first=first,
            last=last,
            initial=first[:1],
            digits=self.rng.randint(1, 99),
        )
        return self._unique(
            f"{user}@{domain}",
            lambda: f"{user}{self._digits()}@{domain}",
            key=_mailbox,
        )

    def phone(self) -> str:
        return self._unique(
            self._random_phone(), self._random_phone, key=_subscriber_number
        )

    def _random_phone(self) -> str:
        region = self.rng.choice(PHONE_REGIONS)
        if region == "US":
            area = self.rng.choice(US_AREA_CODES)
            exchange = self.rng.randint(201, 989)
            return f"+1{area}{exchange}{self.rng.randint(0, 9999):04d}"
        else:
            example = phonenumbers.example_number_for_type(
                region, phonenumbers.PhoneNumberType.MOBILE
            )
            digits = phonenumbers.format_number(
                example, phonenumbers.PhoneNumberFormat.E164
            )
            number = digits[:-6] + f"{self.rng.randint(0, 999999):06d}"
        return number

    def linkedin_url(self, first_name: str, last_name: str) -> str:
        base = f"{_email_word(first_name)}-{_email_word(last_name)}"
        slug = self._unique(base, lambda: f"{base}-{self._hex()}")
        return f"https://www.linkedin.com/in/{slug}/"

    def _unique(
        self,
        value: str,
        fallback: Callable[[], str],
        key: Callable[[str], str] = str,
    ) -> str:
        """Return `value`, or the first `fallback()` whose key is still unused."""
        while key(value) in self.used:
            value = fallback()
        self.used.add(key(value))
        return value

    def _digits(self) -> str:
        return str(self.rng.randint(100, 9999))

    def _hex(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(8))


def _mailbox(email: str) -> str:
    """Return the mailbox an address delivers to: Gmail ignores dots in user names."""
    user, _, domain = email.partition("@")
    if domain == "gmail.com":
        user = user.replace(".", "")
    return f"{user}@{domain}"


def _subscriber_number(e164: str) -> str:
    return phonenumbers.national_significant_number(phonenumbers.parse(e164))


def _email_word(name: str) -> str:
    return "".join(char for char in unidecode(name).lower() if char.isalnum())


# --- Contact fields -------------------------------------------------------------


def split_contacts(
    identity: Identity, factory: IdentityFactory
) -> tuple[dict[str, str], dict[str, str]]:
    """Return the candidate's and the applicant's contact fields for one person.

    Each side keeps each field at its assumed rate. When both sides have a field,
    it is the same value (reformatted) at SAME_VALUE_RATES, else a second value.
    """
    rng = factory.rng
    candidate, applicant = {}, {}
    for field in ("email", "phone", "linkedin_url"):
        value = getattr(identity, field)
        has_candidate = rng.random() < CANDIDATE_FIELD_RATES[field]
        has_applicant = rng.random() < APPLICANT_FIELD_RATES[field]
        candidate[field] = value if has_candidate else ""
        applicant[field] = value if has_applicant else ""
        if has_candidate and has_applicant and rng.random() > SAME_VALUE_RATES[field]:
            candidate[field] = _second_value(identity, field, factory)
    candidate["phone"] = format_phone(candidate["phone"], rng)
    applicant["phone"] = format_phone(applicant["phone"], rng)
    candidate["linkedin_url"] = format_linkedin(candidate["linkedin_url"], rng)
    return candidate, applicant


def _second_value(identity: Identity, field: str, factory: IdentityFactory) -> str:
    if field == "email":
        return factory.email(identity.first_name, identity.last_name)
    if field == "phone":
        return factory.phone()
    return factory.linkedin_url(identity.first_name, identity.last_name)


def own_contacts(identity: Identity, rates: dict[str, float], rng: random.Random):
    """Return one side's contact fields for a person that appears only once."""
    contacts = {
        field: getattr(identity, field) if rng.random() < rate else ""
        for field, rate in rates.items()
    }
    contacts["phone"] = format_phone(contacts["phone"], rng)
    return contacts


def format_phone(e164: str, rng: random.Random) -> str:
    """Return the number in one of the ways people type it."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    national = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL
    )
    international = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    digits = phonenumbers.national_significant_number(number)
    if number.country_code == 1:
        formats = [
            national,
            international,
            e164,
            digits,
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{national} ext. {rng.randint(10, 999)}",
        ]
    else:
        formats = [international, e164, "00" + e164[1:], international, national]
    return rng.choice(formats)


def format_linkedin(url: str, rng: random.Random) -> str:
    """Return the profile URL in one of the forms it is copied in."""
    if not url:
        return ""
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    forms = [
        f"https://www.linkedin.com/in/{slug}/",
        f"http://linkedin.com/in/{slug}",
        f"linkedin.com/in/{slug}",
        f"www.linkedin.com/in/{slug}?trk=public_profile",
        f"https://{rng.choice(['uk', 'de', 'fr', 'in', 'br'])}.linkedin.com/in/{slug}",
        f"https://www.linkedin.com/in/{slug.upper()}/",
        f"https://www.linkedin.com/in/{slug}/details/experience/",
        f"https://linkedin.com/in/{slug}#contact",
    ]
    return rng.choice(forms)


# --- Name variations --------------------------------------------------------------


def apply_typo(name: str, rng: random.Random) -> str:
    """Return the name with one typo: two letters swapped, or one wrong,
    missing or doubled letter."""
    letters = list(name)
    positions = [index for index, char in enumerate(letters) if char.isalpha()]
    index = rng.choice(positions[1:] or positions)
    edit = rng.choice(("swap", "substitute", "delete", "double"))
    if edit == "swap" and index + 1 < len(letters) and letters[index + 1].isalpha():
        letters[index], letters[index + 1] = letters[index + 1], letters[index]
    elif edit == "substitute":
        letters[index] = rng.choice(string.ascii_lowercase)
    elif edit == "delete":
        del letters[index]
    else:
        letters.insert(index, letters[index])
    return "".join(letters)


def particle_variant(surname: str, rng: random.Random) -> str:
    """Return the surname with its particles dropped, glued or recapitalised."""
    words = surname.replace("-", " ").split()
    core = words[-1]
    variants = [
        core,
        "".join(words).capitalize(),
        " ".join(word.capitalize() for word in words),
        " ".join(words).lower().title(),
    ]
    if "-" in surname:
        variants.append(" ".join(words))
    return rng.choice([variant for variant in variants if variant != surname] or [core])


def shout_and_pad(name: str, rng: random.Random) -> str:
    cased = rng.choice((name.upper(), name.lower(), name.swapcase()))
    return (
        rng.choice(("  ", " ", "")) + cased.replace(" ", "  ") + rng.choice(("  ", ""))
    )


def add_quotes(name: str, rng: random.Random) -> str:
    if "'" in name:
        return name.replace("'", rng.choice(("’", "`", "")))
    template = rng.choice(('"{}"', "'{}'", "{}'", "“{}”", "`{}`", '"{}'))
    return template.format(name)


# --- Pair builders ---------------------------------------------------------------


def _accented_identity(factory: IdentityFactory) -> Identity:
    while True:
        identity = factory.identity()
        full = identity.first_name + identity.last_name
        if unidecode(full) != full:
            return identity


def _maybe_flip(
    pair: tuple[Person, Person], rng: random.Random
) -> tuple[Person, Person]:
    """Put the varied name on either side, since a candidate can be either form."""
    return pair if rng.random() < 0.5 else (pair[1], pair[0])


def _name_pair(
    factory: IdentityFactory,
    identity: Identity,
    candidate_names: tuple[str, str],
    flip: bool = True,
) -> tuple[Person, Person]:
    """Build a duplicate pair where the candidate's name is typed differently."""
    candidate_contacts, applicant_contacts = split_contacts(identity, factory)
    candidate = Person(candidate_names[0], candidate_names[1], **candidate_contacts)
    applicant = Person(identity.first_name, identity.last_name, **applicant_contacts)
    if not flip or factory.rng.random() < 0.5:
        return candidate, applicant
    candidate_names_on_applicant = replace(
        applicant, first_name=candidate_names[0], last_name=candidate_names[1]
    )
    stored_names_on_candidate = replace(
        candidate, first_name=identity.first_name, last_name=identity.last_name
    )
    return stored_names_on_candidate, candidate_names_on_applicant


def build_exact(factory: IdentityFactory):
    identity = factory.identity()
    return _name_pair(factory, identity, (identity.first_name, identity.last_name))


def build_case_whitespace(factory: IdentityFactory):
    identity = factory.identity()
    rng = factory.rng
    names = (
        shout_and_pad(identity.first_name, rng),
        shout_and_pad(identity.last_name, rng),
    )
    return _name_pair(factory, identity, names)


def build_accents(factory: IdentityFactory):
    identity = _accented_identity(factory)
    names = (unidecode(identity.first_name), unidecode(identity.last_name))
    return _name_pair(factory, identity, names)


def build_nfd(factory: IdentityFactory):
    identity = _accented_identity(factory)
    names = tuple(unicodedata.normalize("NFD", name) for name in _names(identity))
    return _name_pair(factory, identity, names)


def build_nickname(factory: IdentityFactory):
    formal, familiar, culture = factory.rng.choice(NICKNAME_PAIRS)
    identity = factory.identity(culture=culture, first_name=formal)
    return _name_pair(factory, identity, (familiar, identity.last_name))


def build_short_form(factory: IdentityFactory):
    full, short, culture = factory.rng.choice(SHORT_FORM_PAIRS)
    identity = factory.identity(culture=culture, first_name=full)
    return _name_pair(factory, identity, (short, identity.last_name))


def _double_surname(factory: IdentityFactory, culture: str) -> tuple[str, str]:
    surnames = CULTURES[culture][1]
    first, second = factory.rng.sample(surnames, 2)
    return first, second


def build_hyphenated_surname(factory: IdentityFactory):
    culture = factory.rng.choice(("spanish", "english", "french", "german", "polish"))
    first, second = _double_surname(factory, culture)
    identity = factory.identity(culture=culture, last_name=f"{first}-{second}")
    surname_part = first if factory.rng.random() < 0.7 else second
    return _name_pair(factory, identity, (identity.first_name, surname_part))


def build_two_part_surname(factory: IdentityFactory):
    culture = factory.rng.choice(("spanish", "portuguese"))
    first, second = _double_surname(factory, culture)
    identity = factory.identity(culture=culture, last_name=f"{first} {second}")
    # Spanish speakers go by the first surname, Portuguese speakers by the last.
    kept = first if culture == "spanish" else second
    return _name_pair(factory, identity, (identity.first_name, kept))


def build_particle_surname(factory: IdentityFactory):
    culture = factory.rng.choice(sorted(PARTICLE_SURNAMES))
    surname = factory.rng.choice(PARTICLE_SURNAMES[culture])
    identity = factory.identity(culture=culture, last_name=surname)
    variant = particle_variant(surname, factory.rng)
    return _name_pair(factory, identity, (identity.first_name, variant))


def build_swapped(factory: IdentityFactory):
    identity = factory.identity()
    return _name_pair(factory, identity, (identity.last_name, identity.first_name))


def build_initial(factory: IdentityFactory):
    identity = factory.identity()
    rng = factory.rng
    first = identity.first_name
    if rng.random() < 0.7:
        varied = first[0] + rng.choice((".", ""))
    else:
        varied = f"{first} {rng.choice(string.ascii_uppercase)}."
    return _name_pair(factory, identity, (varied, identity.last_name))


def build_typo_first(factory: IdentityFactory):
    identity = _identity_with_long_name(factory, part=0)
    typo = apply_typo(identity.first_name, factory.rng)
    return _name_pair(factory, identity, (typo, identity.last_name))


def build_typo_last(factory: IdentityFactory):
    identity = _identity_with_long_name(factory, part=1)
    rng = factory.rng
    typo = apply_typo(identity.last_name, rng)
    if len(identity.last_name) >= 8 and rng.random() < 0.15:
        typo = apply_typo(typo, rng)
    return _name_pair(factory, identity, (identity.first_name, typo))


def _identity_with_long_name(factory: IdentityFactory, part: int) -> Identity:
    while True:
        identity = factory.identity()
        if len(_names(identity)[part]) >= 4:
            return identity


def build_stray_quotes(factory: IdentityFactory):
    identity = factory.identity()
    rng = factory.rng
    first, last = identity.first_name, identity.last_name
    if "'" in last or rng.random() < 0.5:
        last = add_quotes(last, rng)
    else:
        first = add_quotes(first, rng)
    return _name_pair(factory, identity, (first, last))


def build_full_name_in_first(factory: IdentityFactory):
    identity = factory.identity()
    full = f"{identity.first_name} {identity.last_name}"
    return _name_pair(factory, identity, (full, ""))


def build_name_change_same_email(factory: IdentityFactory):
    identity = factory.identity()
    rng = factory.rng
    surnames = CULTURES[identity.culture][1]
    new_surname = rng.choice([name for name in surnames if name != identity.last_name])
    if rng.random() < 0.3:
        new_surname = f"{identity.last_name}-{new_surname}"
    candidate, applicant = _name_pair(
        factory, identity, (identity.first_name, new_surname), flip=False
    )
    candidate = replace(candidate, email=identity.email)
    applicant = replace(applicant, email=identity.email)
    return _maybe_flip((candidate, applicant), rng)


def _contact_pair(factory: IdentityFactory, identity: Identity, **candidate_fields):
    """Build a duplicate pair whose candidate has the same name and one contact."""
    applicant_contacts = own_contacts(identity, APPLICANT_FIELD_RATES, factory.rng)
    for field in candidate_fields:
        applicant_contacts[field] = getattr(identity, field)
    applicant = identity.person(**applicant_contacts)
    candidate = Person(identity.first_name, identity.last_name, **candidate_fields)
    return _maybe_flip((candidate, applicant), factory.rng)


def build_email_case(factory: IdentityFactory):
    identity = factory.identity()
    rng = factory.rng
    user, domain = identity.email.split("@")
    cased = f"{rng.choice((user.title(), user.upper()))}@{domain.upper()}"
    email = rng.choice(("  ", " ", "")) + cased + rng.choice((" ", "\t", ""))
    return _contact_pair(factory, identity, email=email)


def build_gmail_dots(factory: IdentityFactory):
    identity = factory.identity(email_domain="gmail.com")
    user = identity.email.split("@")[0]
    undotted = user.replace(".", "")
    position = factory.rng.randint(1, max(1, len(undotted) - 1))
    dotted = undotted[:position] + "." + undotted[position:]
    varied = undotted if "." in user and factory.rng.random() < 0.5 else dotted
    return _contact_pair(factory, identity, email=f"{varied}@gmail.com")


def build_gmail_plus_tag(factory: IdentityFactory):
    identity = factory.identity(email_domain="gmail.com")
    user = identity.email.split("@")[0]
    tag = factory.rng.choice(EMAIL_TAGS)
    return _contact_pair(factory, identity, email=f"{user}+{tag}@gmail.com")


def build_googlemail(factory: IdentityFactory):
    identity = factory.identity(email_domain="gmail.com")
    user = identity.email.split("@")[0]
    return _contact_pair(factory, identity, email=f"{user}@googlemail.com")


def build_email_dots_other_provider(factory: IdentityFactory):
    domain = factory.rng.choice(("outlook.com", "yahoo.com", "hotmail.com", "acme.io"))
    identity = factory.identity(email_domain=domain)
    user = identity.email.split("@")[0]
    if "." in user:
        varied = user.replace(".", "")
    else:
        varied = user[:1] + "." + user[1:]
    return _contact_pair(factory, identity, email=f"{varied}@{domain}")


def build_email_other_domain(factory: IdentityFactory):
    identity = factory.identity()
    user, domain = identity.email.split("@")
    other = factory.rng.choice([name for name in FREE_EMAIL_DOMAINS if name != domain])
    return _contact_pair(factory, identity, email=f"{user}@{other}")


def build_phone_format(factory: IdentityFactory):
    identity = factory.identity()
    phone = format_phone(identity.phone, factory.rng)
    return _contact_pair(factory, identity, phone=phone)


def build_linkedin_url_form(factory: IdentityFactory):
    identity = factory.identity()
    url = format_linkedin(identity.linkedin_url, factory.rng)
    return _contact_pair(factory, identity, linkedin_url=url)


def _distinct_people(factory: IdentityFactory, first: Identity, second: Identity):
    rng = factory.rng
    candidate = first.person(**own_contacts(first, CANDIDATE_FIELD_RATES, rng))
    applicant = second.person(**own_contacts(second, APPLICANT_FIELD_RATES, rng))
    return candidate, applicant


def build_namesake(factory: IdentityFactory):
    first = factory.identity()
    second = factory.identity(first.culture, first.first_name, first.last_name)
    return _distinct_people(factory, first, second)


def build_near_name(factory: IdentityFactory):
    rng = factory.rng
    first = factory.identity()
    given_names, surnames = CULTURES[first.culture]
    choice = rng.random()
    if choice < 0.5:
        other_given = rng.choice(
            [name for name in given_names if name != first.first_name]
        )
        second = factory.identity(first.culture, other_given, first.last_name)
    elif choice < 0.8:
        other_surname = rng.choice(
            [name for name in surnames if name != first.last_name]
        )
        second = factory.identity(first.culture, first.first_name, other_surname)
    else:
        given, other_given = rng.choice(SIMILAR_NAME_PAIRS)
        first = factory.identity(first.culture, given, first.last_name)
        second = factory.identity(first.culture, other_given, first.last_name)
    return _distinct_people(factory, first, second)


def build_shared_phone(factory: IdentityFactory):
    """Two members of one household: same surname and phone, own emails."""
    first = factory.identity()
    given_names = CULTURES[first.culture][0]
    other_given = factory.rng.choice(
        [name for name in given_names if name != first.first_name]
    )
    second = factory.identity(first.culture, other_given, first.last_name)
    second = replace(second, phone=first.phone)
    candidate = first.person(
        phone=format_phone(first.phone, factory.rng), linkedin_url=""
    )
    applicant = second.person(linkedin_url="")
    return candidate, applicant


def build_email_user_collision(factory: IdentityFactory):
    """Two people whose initial-and-surname email user names collide at two domains."""
    rng = factory.rng
    first = factory.identity()
    given_names = CULTURES[first.culture][0]
    initial = first.first_name[0]
    others = [name for name in given_names if name != first.first_name]
    same_initial = [name for name in others if name[0] == initial]
    second = factory.identity(
        first.culture, rng.choice(same_initial or others), first.last_name
    )
    user = _email_word(initial) + _email_word(first.last_name)
    domains = rng.sample(COMPANY_EMAIL_DOMAINS, 2)
    candidate = first.person(email=f"{user}@{domains[0]}", phone="", linkedin_url="")
    applicant = second.person(email=f"{user}@{domains[1]}", linkedin_url="")
    return candidate, applicant


def build_unrelated(factory: IdentityFactory):
    return _distinct_people(factory, factory.identity(), factory.identity())


def _names(identity: Identity) -> tuple[str, str]:
    return identity.first_name, identity.last_name


Builder = Callable[[IdentityFactory], tuple[Person, Person]]

DUPLICATE_KINDS: dict[str, Builder] = {
    "exact": build_exact,
    "case_whitespace": build_case_whitespace,
    "accents": build_accents,
    "nfd": build_nfd,
    "nickname": build_nickname,
    "short_form": build_short_form,
    "hyphenated_surname": build_hyphenated_surname,
    "two_part_surname": build_two_part_surname,
    "particle_surname": build_particle_surname,
    "swapped": build_swapped,
    "initial": build_initial,
    "typo_first": build_typo_first,
    "typo_last": build_typo_last,
    "stray_quotes": build_stray_quotes,
    "full_name_in_first": build_full_name_in_first,
    "name_change_same_email": build_name_change_same_email,
    "email_case": build_email_case,
    "gmail_dots": build_gmail_dots,
    "gmail_plus_tag": build_gmail_plus_tag,
    "googlemail": build_googlemail,
    "email_dots_other_provider": build_email_dots_other_provider,
    "email_other_domain": build_email_other_domain,
    "phone_format": build_phone_format,
    "linkedin_url_form": build_linkedin_url_form,
}
# Non-duplicate kinds and how many pairs of each, per PAIRS_PER_DUPLICATE_KIND.
NON_DUPLICATE_KINDS: dict[str, tuple[Builder, float]] = {
    "namesake": (build_namesake, 6.0),
    "near_name": (build_near_name, 4.0),
    "shared_phone": (build_shared_phone, 1.5),
    "email_user_collision": (build_email_user_collision, 1.5),
    "unrelated": (build_unrelated, 5.0),
}


def build_pairs(
    seed: int = DEFAULT_SEED,
    per_kind: int = PAIRS_PER_DUPLICATE_KIND,
    factory: IdentityFactory | None = None,
) -> list[LabelledPair]:
    """Return the labelled pairs: `per_kind` for each duplicate kind, and
    non-duplicates in the proportions of NON_DUPLICATE_KINDS.

    Pass a `factory` to keep using it for pools, so that no distractor reuses a
    pair's email, phone or LinkedIn slug. It then replaces `seed`.
    """
    factory = factory or IdentityFactory(random.Random(seed))
    pairs = []
    for kind, builder in DUPLICATE_KINDS.items():
        for _ in range(per_kind):
            pairs.append(_labelled(builder(factory), True, kind))
    for kind, (builder, ratio) in NON_DUPLICATE_KINDS.items():
        for _ in range(round(per_kind * ratio)):
            pairs.append(_labelled(builder(factory), False, kind))
    return pairs


def _labelled(
    pair: tuple[Person, Person], is_duplicate: bool, kind: str
) -> LabelledPair:
    candidate, applicant = pair
    return LabelledPair(candidate, applicant, is_duplicate, kind)


def build_pool(
    pair: LabelledPair,
    factory: IdentityFactory,
    size: int = DISTRACTORS_PER_POOL,
) -> list[tuple[str, Person]]:
    """Return the pair's applicant among `size` other people, with shuffled ids.

    Half the distractors are namesakes of the applicant (its exact stored name), the
    others share the first name or the surname with it. Each has its own contacts.
    """
    rng = factory.rng
    first_name, last_name = pair.applicant.first_name, pair.applicant.last_name
    culture = _culture_of(first_name, last_name, rng)
    given_names, surnames = CULTURES[culture]
    people = [pair.applicant]
    for index in range(size):
        if index < size // 2:
            identity = factory.identity(culture, first_name or None, last_name or None)
        elif index % 2:
            identity = factory.identity(
                culture, rng.choice(given_names), last_name or None
            )
        else:
            identity = factory.identity(
                culture, first_name or None, rng.choice(surnames)
            )
        people.append(
            identity.person(**own_contacts(identity, APPLICANT_FIELD_RATES, rng))
        )
    ids = rng.sample(range(100_000, 999_999), len(people))
    return [
        (f"prospect_{number}", person)
        for number, person in zip(ids, people, strict=True)
    ]


def _culture_of(first_name: str, last_name: str, rng: random.Random) -> str:
    for culture, (given_names, surnames) in CULTURES.items():
        if first_name in given_names or last_name in surnames:
            return culture
    return rng.choice(sorted(CULTURES))

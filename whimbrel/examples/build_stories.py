"""Writes stories.jsonl from the story texts below.

The bundled stories are short reports written for whimbrel in its own words about
real, well-documented events; they are what `make run` codes and serves.
"""
import json
from pathlib import Path

STORIES = [
    {
        "id": "mali-2013-01-12",
        "title": "French jets strike Islamist fighters in central Mali",
        "published": "2013-01-12",
        "text": (
            "French warplanes bombed Islamist fighters near the town of Konna on Friday, a day after the "
            "militants captured the town from the Malian army.\n\n"
            "Mali's interim president, Dioncounda Traore, had asked France for military help on Thursday as "
            "the rebels advanced toward Mopti.\n\n"
            "President Francois Hollande said French forces would stay in Mali as long as necessary and "
            "warned that France would strike the armed groups again if they pushed south.\n\n"
            "A French helicopter pilot was killed during the raids, Defence Minister Jean-Yves Le Drian told "
            "reporters in Paris.\n\n"
            "West African leaders approved the deployment of about 3,300 troops to Mali, and Britain agreed to "
            "lend two transport planes to carry French equipment.\n\n"
            "The United States is considering sending surveillance drones, officials in Washington said, but "
            "has ruled out putting American troops on the ground.\n\n"
            "Share Tweet Email\n"
        ),
    },
    {
        "id": "crimea-2014-03-18",
        "title": "Russia annexes Crimea as the West prepares sanctions",
        "published": "2014-03-18",
        "text": (
            "Russian President Vladimir Putin signed a treaty on Tuesday to annex Crimea, two days after a "
            "disputed referendum on the Black Sea peninsula.\n\n"
            "Ukraine's government accused Moscow of stealing its territory and said it would never accept "
            "the loss of Crimea.\n\n"
            "Armed men without insignia seized a Ukrainian military base near Simferopol, and a Ukrainian "
            "soldier was shot dead, officials in Kiev said.\n\n"
            "The United States and the European Union imposed travel bans and asset freezes on Russian "
            "officials and threatened broader sanctions if Russia moved into eastern Ukraine.\n\n"
            "German Chancellor Angela Merkel called the annexation a violation of international law.\n\n"
            "Photo: Pro-Russian troops outside a base in Perevalne\n"
        ),
    },
    {
        "id": "hong-kong-2019-06-15",
        "title": "Hong Kong leader suspends extradition bill after mass protests",
        "published": "2019-06-15",
        "text": (
            "Hong Kong's chief executive, Carrie Lam, suspended a contested extradition bill on Saturday after "
            "days of street protests against it.\n\n"
            "On Wednesday, police fired tear gas and rubber bullets at demonstrators who had blocked roads near "
            "the Legislative Council in Admiralty.\n\n"
            "Organisers said more than a million people marched through the city last Sunday to demand that "
            "the bill be withdrawn.\n\n"
            "Lam apologised for the way the government had handled the bill but refused to step down.\n\n"
            "China's foreign ministry said Beijing supported the Hong Kong government and warned foreign "
            "governments not to interfere.\n\n"
            "Related\n"
            "Protesters return to the streets\n"
        ),
    },
    {
        "id": "iran-deal-2015-07-14",
        "title": "Iran and world powers reach nuclear deal in Vienna",
        "published": "2015-07-14",
        "text": (
            "Iran and six world powers reached an agreement in Vienna on Tuesday to limit Tehran's nuclear "
            "programme in exchange for the lifting of international sanctions.\n\n"
            "Iranian Foreign Minister Mohammad Javad Zarif and U.S. Secretary of State John Kerry held talks "
            "for more than two weeks before the deal was announced.\n\n"
            "Israeli Prime Minister Benjamin Netanyahu condemned the accord as a historic mistake and said "
            "Israel was not bound by it.\n\n"
            "President Barack Obama said he would veto any legislation from Congress that blocked the "
            "agreement.\n\n"
            "Under the deal, inspectors from the International Atomic Energy Agency will be allowed to visit "
            "Iranian sites.\n"
        ),
    },
    {
        "id": "sudan-2023-04-16",
        "title": "Fighting rages in Khartoum between army and paramilitary RSF",
        "published": "2023-04-16",
        "text": (
            "Sudan's army and the paramilitary Rapid Support Forces fought for a second day in Khartoum on "
            "Sunday, with air strikes and artillery fire shaking the capital.\n\n"
            "The Sudanese air force bombed RSF bases in Omdurman, residents said, while RSF fighters claimed "
            "to have seized the presidential palace and the airport.\n\n"
            "The army denied that the airport had fallen.\n\n"
            "At least 56 civilians have been killed, the Sudan Doctors' Committee said.\n\n"
            "The United Nations Secretary-General urged both sides to stop fighting immediately, and Egypt "
            "offered to mediate between the two generals.\n"
        ),
    },
    {
        "id": "chibok-2014-05-06",
        "title": "Boko Haram leader threatens to sell abducted schoolgirls",
        "published": "2014-05-06",
        "text": (
            "The leader of Boko Haram threatened in a video released on Monday to sell the more than 200 "
            "schoolgirls his fighters abducted from a school in Chibok, in Borno state, last month.\n\n"
            "Parents and activists marched in Abuja to demand that the Nigerian government do more to free "
            "the girls.\n\n"
            "Nigerian President Goodluck Jonathan accepted an American offer of help, and Washington said it "
            "would send a team of military and law enforcement experts to Nigeria.\n\n"
            "Gunmen suspected to be members of the group also attacked the town of Gamboru Ngala on Monday, "
            "killing scores of people, local officials said.\n"
        ),
    },
]

if __name__ == "__main__":
    out = Path(__file__).with_name("stories.jsonl")
    with out.open("w", encoding="utf-8") as handle:
        for story in STORIES:
            handle.write(json.dumps(story, ensure_ascii=False) + "\n")
    print(f"wrote {len(STORIES)} stories to {out}")

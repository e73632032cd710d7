#!/usr/bin/env python3
"""Generate a synthetic, messy multi-country customer list together with its ground truth.

Why: custclean's matching needs a benchmark whose true clusters are known. Real customer files mix
locales and formats, carry typos, nicknames and Excel damage, and contain hard negatives (relatives
at the same address, namesakes), so this generator reproduces those traits on purpose. The heavy
parts are vectorised numpy/pandas operations (a million rows in ~15 s on 2 cores, CSV included);
per-row Python only touches small shares of rows (typos, nicknames, clashing e-mail addresses, CSV
rows that need quoting) or distinct values (ASCII folding, abbreviations).

People live where people live: a listed city takes its real share of the country's population (Reims
~0.3% of France), everyone else (70-90% depending on the country) one of thousands of small localities
("Saint-Julien-sur-Loire", "Altendorf", "Popești", "Xã Tân Phú", "Maple Springs") with its own postcode in its
parent city's postal region and that city's phone area code. So postcodes stay as fine-grained as in real
lists: at 1M rows, postcode blocking yields ~21M pairs and the largest postcode holds ~520 rows, where the
former big-cities-only pool gave 215M pairs and 3,474 rows in 51100 Reims.

Phone prefixes were checked against libphonenumber's metadata, so every number is valid for its
country; e-mail addresses and phone numbers are never shared by two people, except households that
deliberately share a landline. Output is deterministic for a given seed (no clock, no hash order).

    python benchmarks/generate.py N OUT.csv [--seed 42] [--dup-rate 0.3]

writes OUT.csv and OUT.truth.csv (columns row,entity_id; row is the 1-based data row of OUT.csv).
Importable as ``from generate import generate``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import re
import string
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

COLUMNS = ("customer_id", "first_name", "last_name", "email", "phone", "company", "street", "postal_code", "city",
           "country", "birth_date", "signup_date", "opt_out")
REF_DAY = int(np.datetime64("2025-06-30", "D").astype(np.int64))  # fixed "today": output must not depend on the clock
HOUSEHOLD_RATE = 0.05  # share of entities that are a second person living at another entity's address
COMMON_NAME_RATE = 0.015  # share of entities forced to a locale's most common name pair (namesakes)
CORRUPT = {  # probability of each corruption for a duplicate record (originals are never corrupted)
    "nick": 0.12, "typo_first": 0.12, "typo_last": 0.12, "case": 0.10, "swap": 0.04, "strip": 0.15,
    "phone_fmt": 0.35, "phone_drop": 0.10, "email_case": 0.10, "email_drop": 0.10, "email_new": 0.10,
    "street_abbr": 0.25, "postal": 0.35, "country": 0.35, "birth_missing": 0.10, "birth_swap": 0.06,
    "signup": 0.60, "company_drop": 0.20,
}
NAME_HARD = ("nick", "typo_first", "typo_last", "swap")

# Phone formats: E.164, +CC spaced, 00CC, +CC (0), national spaced/dots/dashes/compact, (201) 555-..., 1-..., 0151/...
E164, INTL, DBL0, PAREN0, NSPACE, NDOT, NDASH, NCOMPACT, USPAREN, USONE, NSLASH = range(11)

# ---------------------------------------------------------------------------------------------------------------
# Locale data. Name lists are written most frequent first; unweighted tokens get Zipf rank weights so the real
# skew (Smith, Martin, Müller, García...) appears without storing frequencies. "_" stands for a space.
# ---------------------------------------------------------------------------------------------------------------
ENGLISH_ABBR = [(r"\bStreet\b", "St"), (r"\bAvenue\b", "Ave"), (r"\bRoad\b", "Rd"), (r"\bDrive\b", "Dr"),
                (r"\bLane\b", "Ln"), (r"\bBoulevard\b", "Blvd"), (r"\bCourt\b", "Ct"), (r"\bPlace\b", "Pl"),
                (r"\bClose\b", "Cl"), (r"\bCrescent\b", "Cres"), (r"\bGardens\b", "Gdns")]
RAW: dict[str, dict] = {
    "US": {
        "share": 0.30, "date": "mdy",
        "male": """James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel Matthew
            Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward Jeffrey
            Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander
            Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah
            Ethan Jeremy Walter Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan
            Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph
            Bobby Russell Bradley Philip Eugene Louis Liam Lucas Carlos Luis Frederick""",
        "female": """Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra
            Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon
            Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen
            Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren
            Kelly Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara
            Janice Ann Kathryn Abigail Sophia Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn
            Beverly Charlotte Natalie Theresa Diana Brittany Doris Kayla Alexis Lori Marie Erica Roberta Josephine Carla
            Georgia Alexandra Paula""",
        "last": """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
            Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez
            Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall
            Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes
            Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard
            Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
            Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman
            Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham
            Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens
            Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry
            Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder
            Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills
            Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley
            Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan
            Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews
            O'Brien Richards Contreras Willis Carpenter Lawrence Sandoval""",
        "street_s": """Main|Oak|Maple|Pine|Cedar|Elm|Washington|Lake|Hill|Park|Lincoln|Jefferson|Church|Highland|Sunset|
            Franklin|Madison|Jackson|Ridge|Walnut|Spring|Willow|Chestnut|Center|Mill|River|Forest|Meadow|Adams|Second|
            Third|Fourth|Fifth|Cherry|Hickory|Birch|Dogwood|Magnolia|Sycamore|Valley|Lakeview|Hillcrest|Prospect|Union|
            Market|Water|Bridge|Front|Grove|Summit|Liberty|College|Laurel|Poplar""",
        "street_t": "Street:30|St:8|Avenue:14|Ave:6|Road:10|Rd:3|Drive:9|Dr:2|Lane:6|Boulevard:3|Blvd:1|Court:4|"
                    "Place:2|Way:2",
        "street_fmt": "{n} {s} {t}", "n_max": 9999, "n_suffix": ":1", "abbr": ENGLISH_ABBR,
        "cities": """New York=10001-10040=212=1600|Brooklyn=11201-11239=718=2600|Los Angeles=90001-90089=213=3900|
            Chicago=60601-60661=312=2700|Houston=77002-77099=713=2300|Phoenix=85003-85054=602=1600|
            Philadelphia=19102-19154=215=1600|San Antonio=78201-78266=210=1500|San Diego=92101-92199=619=1400|
            Dallas=75201-75254=214=1300|Austin=78701-78759=512=960|San Jose=95110-95139=408=1000|
            Jacksonville=32202-32277=904=950|Columbus=43201-43235=614=900|Seattle=98101-98199=206=740|
            Denver=80202-80249=303=710|Washington=20001-20037=202=690|Boston=02108-02137=617=680|
            Nashville=37201-37221=615=690|Detroit=48201-48235=313=640|Portland=97201-97239=503=650|
            Las Vegas=89101-89169=702=640|Atlanta=30303-30350=404=500|Miami=33125-33199=305=450|
            Minneapolis=55401-55488=612=430|San Francisco=94102-94134=415=870|Newark=07102-07114=973=310|
            Jersey City=07302-07311=201=290|Hartford=06103-06120=860=120|Providence=02903-02909=401=190|
            Cambridge=02138-02142=617=118|Worcester=01601-01610=508=185|Springfield=01101-01109=413=155|
            Manchester=03101-03104=603=115|Burlington=05401-05408=802=45|New Haven=06510-06515=203=135""",
        "postal_width": 5,
        "phone": ("1", "", "", 3, 10, 10, 3, 3, 1.0),
        "phone_fmt": [10, 10, 0, 0, 5, 10, 25, 8, 28, 4, 0],
        "mail": "gmail.com:45 yahoo.com:15 outlook.com:8 hotmail.com:8 icloud.com:8 aol.com:4 comcast.net:3 "
                "protonmail.com:1",
        "country": "US:28|USA:24|United States:20|U.S.A.:5|United States of America:5|us:2|États-Unis:3|"
                   "Statele Unite:2|Hoa Kỳ:2|Mỹ:2|Estados Unidos:2|Vereinigte Staaten:1",
        "company": "{L} Inc.:20|{L} LLC:20|{L} & Sons:6|{W} Corp.:10|{W} Inc.:14|{W} Solutions LLC:8|"
                   "{L} & Associates:6|{W} Group:6|Acme Inc.:2",
        "common": "John/Smith|Michael/Johnson|James/Smith|Mary/Smith|Robert/Williams|David/Brown|Maria/Garcia",
    },
    "FR": {
        "share": 0.20, "date": "dmy",
        "male": """Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger Robert Paul
            Claude Christian Henri Georges Nicolas François Patrick Gérard Christophe Joseph Julien Stéphane David
            Pascal
            Éric Frédéric Laurent Thierry Sébastien Olivier Dominique Maurice Lucas Hugo Thomas Théo Nathan Léo Antoine
            Maxime Alexandre Vincent Guillaume Arthur Raphaël Gabriel Jules Mathis Baptiste Clément Romain Quentin
            Benoît
            Cédric Jérôme Fabrice Didier Yves Sylvain Loïc Gilles Hervé Francis Jean-Pierre Jean-Claude Jean-Luc
            Jean-Marc Jean-François Jean-Paul Émile Adrien Florian Damien Mathieu Xavier Arnaud Samuel Denis Simon""",
        "female": """Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Jacqueline Anne Sylvie Martine Madeleine
            Nicole Suzanne Hélène Christine Marguerite Denise Louise Christiane Yvonne Sophie Valérie Sandrine Stéphanie
            Céline Julie Aurélie Émilie Camille Léa Manon Chloé Emma Inès Jade Alice Lina Clara Sarah Juliette Pauline
            Mathilde Laura Audrey Élodie Virginie Véronique Brigitte Chantal Danielle Michèle Josiane Colette Simone
            Odette Germaine Paulette Geneviève Élise Claire Agnès Béatrice Florence Patricia Laurence Caroline Charlotte
            Margaux Océane Anaïs Marine Lucie Zoé Mélanie Marie-Claude Anne-Marie Marie-Christine Marie-France Lucienne
            Josette Gisèle Pascale Yvette Frédérique Gabrielle""",
        "last": """Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy
            Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre
            Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin
            Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël
            Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard
            Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix
            Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean
            Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher
            Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard
            Maillard Baron Bertin Bailly Hervé Schneider Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet
            Perrot Daniel Le_Roux Cousin Germain Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc
            Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne
            Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet Gay Lemaître Bénard Maréchal Humbert
            Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier""",
        "street_s": """de la Paix|Victor Hugo|Voltaire|de la République|Jean Jaurès|Pasteur|Gambetta|
            du Général de Gaulle|
            des Lilas|de la Gare|Nationale|du Moulin|de l'Église|des Écoles|Émile Zola|Jules Ferry|Carnot|Foch|
            de Verdun|du Château|de Paris|des Acacias|du Stade|de la Mairie|Saint-Michel|Saint-Honoré|de la Liberté|
            Anatole France|Louis Pasteur|d'Alsace-Lorraine|des Tilleuls|du Commerce|des Roses|de Strasbourg|
            Pierre Curie|du 8 Mai 1945|de la Fontaine|des Prés|Lamartine|Molière|Montaigne|de Bretagne|des Vignes|
            du Port|Sadi Carnot|Thiers|Aristide Briand|Clemenceau|de la Libération|Edmond Rostand""",
        "street_t": "rue:50|Rue:12|avenue:10|Avenue:3|boulevard:6|Boulevard:2|place:3|allée:4|impasse:4|chemin:3|"
                    "quai:2|route:2",
        "street_fmt": "{n} {t} {s}:85|{n}, {t} {s}:15", "n_max": 150, "n_suffix": "_bis:3|_ter:1|:96",
        "abbr": [(r"(?i:\bboulevard\b)", "bd"), (r"(?i:\bavenue\b)", "av."), (r"(?i:\bplace\b)", "pl."),
                 (r"(?i:\ballée\b)", "all."), (r"(?i:\bimpasse\b)", "imp."), (r"(?i:\bchemin\b)", "ch."),
                 (r"(?i:\broute\b)", "rte"), (r"\bSaint-", "St-"), (r"\bGénéral\b", "Gal")],
        "cities": """Paris=75001-75020=1=2100|Marseille=13001-13016=4/2349=870|Lyon=69001-69009=4/2349=520|
            Toulouse=31000 31100 31200 31300 31400 31500=5/3456=490|Nice=06000 06100 06200 06300=4/2349=340|
            Nantes=44000 44100 44200 44300=2/2345=320|Montpellier=34000 34070 34080 34090=4/2349=300|
            Strasbourg=67000 67100 67200=3=290|Bordeaux=33000 33100 33200 33300 33800=5/3456=260|
            Lille=59000 59160 59260 59777 59800=3=235|Rennes=35000 35200 35700=2/2345=222|Reims=51100=3=180|
            Toulon=83000 83100 83200=4/2349=175|Saint-Étienne=42000 42100=4/2349=173|
            Le Havre=76600 76610 76620=2/2345=168|
            Grenoble=38000 38100=4/2349=158|Dijon=21000=3=160|Angers=49000 49100=2/2345=155|
            Nîmes=30000 30900=4/2349=150|
            Aix-en-Provence=13090 13100 13290=4/2349=145|Clermont-Ferrand=63000 63100=4/2349=147|
            Le Mans=72000 72100=2/2345=143|
            Brest=29200=2/2345=140|Tours=37000 37100 37200=2/2345=136|Amiens=80000 80080 80090=3=133|
            Limoges=87000 87100 87280=5/3456=131|Annecy=74000=4/2349=130|Perpignan=66000 66100=4/2349=120|
            Metz=57000 57050=3=117|
            Besançon=25000=3=117|Orléans=45000 45100=2/2345=116|Rouen=76000 76100=2/2345=112|Mulhouse=68100 68200=3=108|
            Caen=14000=2/2345=106|Nancy=54000 54100=3=104|Cannes=06150 06400=4/2349=74|Antibes=06160 06600=4/2349=73|
            Bourg-en-Bresse=01000=4/2349=41|Saint-Quentin=02100=3=53|Vichy=03200=4/2349=25|Montluçon=03100=4/2349=34|
            Gap=05000=4/2349=40|
            Ajaccio=20000 20090=4/2349=70|Bastia=20200 20600=4/2349=48|Troyes=10000=3=61|
            Charleville-Mézières=08000=3=46|
            Foix=09000=5/3456=9|Privas=07000=4/2349=8|Digne-les-Bains=04000=4/2349=16""",
        "postal_width": 5,
        "phone": ("33", "0", "61:8 62:8 64:8 65:8 66:8 67:8 68:8 60:6 75:6 76:6 77:6 78:6 73:3 74:3",
                  1, 9, 9, 2, 2, 0.12),
        "phone_fmt": [14, 10, 4, 4, 44, 8, 2, 14, 0, 0, 0],
        "mail": "gmail.com:35 orange.fr:15 yahoo.fr:10 hotmail.fr:10 free.fr:8 sfr.fr:6 laposte.net:5 wanadoo.fr:4 "
                "outlook.fr:4 icloud.com:3",
        "country": "FR:28|France:45|france:7|FRANCE:8|Frankreich:3|Pháp:2|Franța:2|Francia:2|Fr:3",
        "company": "{L} SARL:30|{L} SAS:20|SCI {L}:8|{W} SA:8|Établissements {L}:8|{W} Conseil:8|Dupont SARL:2|"
                   "{L} et Fils:6",
        "common": "Jean/Martin|Marie/Martin|Pierre/Bernard|Michel/Dubois|Nathalie/Petit|Philippe/Durand",
    },
    "DE": {
        "share": 0.12, "date": "dmy",
        "male": """Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Günter Stefan Christian Uwe Werner Hans Horst
            Frank Dieter Manfred Bernd Gerhard Helmut Matthias Martin Heinz Ralf Joachim Walter Karl Rainer Sven Jörg
            Dirk Markus Alexander Tobias Daniel Jan Sebastian Florian Tim Lukas Leon Finn Jonas Paul Ben Elias Noah
            Felix Maximilian Niklas Moritz Philipp Johannes Johann Friedrich Wilhelm Heinrich Ernst Otto Fritz Kurt Rolf
            Gerd Holger Volker Torsten Oliver Marco Kai Björn Lars Timo Nils Julian Jannik Luca Detlef Norbert Reinhard
            Hartmut Lothar Siegfried Erwin Jens""",
        "female": """Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid Erika Andrea Gisela Claudia
            Susanne Gabriele Christa Christine Hildegard Anna Birgit Barbara Gertrud Heike Marianne Elke Martina
            Angelika Katharina Nicole Stefanie Julia Sandra Anja Melanie Tanja Katrin Jana Lisa Laura Sarah Lena Leonie
            Hannah Emma Mia Sophie Lea Marie Johanna Charlotte Lara Jessica Jennifer Franziska Anke Silke Doris Jutta
            Inge Ilse Waltraud Hannelore Rosemarie Irmgard Annette Sonja Magdalena Michaela Alexandra Ines Jasmin Greta
            Frieda Klara Emilia""",
        "last": """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter
            Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz
            Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang
            Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz
            Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger
            Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel
            Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Lindner Ernst Hübner Kramer Franz Beyer Wolter
            Peter Jansen Kern Seifert Hansen Götz Brunner Lindemann Paul Dietz Mohr Riedel Barth Kaufmann Haase Ott Marx
            Berg Gerlach Kraft Heinz Böttcher Schütz Schade Wenzel Thiele Stark Hermann Bock Vetter Walther Lenz Ebert
            Kunz Geiger Frey Schilling Schenk Brandl Fiedler Reuter Nowak Sander Kuhlmann Kessler Schiller Rau Wirth
            Schwab Haupt Körner Bach Hein Heller Menzel Winkelmann Petersen Böhme Jakob Thiel Hesse Sturm Ulrich Weise
            Vogl Bayer Baier Pietsch Engelhardt Rausch Jahn Schirmer Hartwig Michel Koller Moser Beckmann Brinkmann
            Conrad Adam Stephan Seiler Witt Mai""",
        "street_s": """Haupt|Bahnhof|Schul|Garten|Dorf|Berg|Linden|Kirch|Goethe|Schiller|Mozart|Wald|Wiesen|Sonnen|Feld|
            Mühlen|Birken|Eichen|Rosen|Tannen|Blumen|Friedrich|Kant|Beethoven|Bismarck|Post|Markt|Wilhelm|Lessing|
            Heine|Kaiser|Jahn|Bach|Brunnen|Burg|Kastanien|Ahorn|Buchen|Uhland|Herder|Luisen|Industrie|Park|Rathaus|
            Schloss|Mittel|Kloster|Schützen|Weiher|Amsel""",
        "street_t": "straße:70|weg:12|allee:6|platz:4|ring:4|gasse:4",
        "street_a": "Berliner|Münchner|Frankfurter|Hamburger|Kölner|Leipziger|Dresdner|Bremer|Potsdamer|Stuttgarter|"
                    "Düsseldorfer|Nürnberger|Augsburger",
        "street_fmt": "{s}{t} {n}:85|{a} Straße {n}:15", "n_max": 200, "n_suffix": "a:4|b:2|:94",
        "abbr": [(r"straße\b", "str."), (r"Straße\b", "Str."), (r"platz\b", "pl.")],
        "cities": """Berlin=10115-14199=30=3700|Hamburg=20095-22769=40=1850|München=80331-81929=89=1500|
            Köln=50667-51149=221=1080|Frankfurt am Main=60306-60599=69=760|Stuttgart=70173-70629=711=630|
            Düsseldorf=40210-40629=211=620|Leipzig=04103-04357=341=600|Dortmund=44135-44388=231=590|
            Essen=45127-45359=201=580|Bremen=28195-28779=421=570|Dresden=01067-01328=351=560|
            Hannover=30159-30659=511=540|Nürnberg=90402-90491=911=520|Duisburg=47051-47279=203=500|
            Bochum=44787-44894=234=365|Wuppertal=42103-42399=202=355|Bielefeld=33602-33739=521=335|
            Bonn=53111-53229=228=330|Münster=48143-48167=251=317|Mannheim=68159-68309=621=310|
            Karlsruhe=76131-76229=721=306|Augsburg=86150-86199=821=300|Wiesbaden=65183-65207=611=280|
            Chemnitz=09111-09247=371=245|Halle (Saale)=06108-06132=345=240|Magdeburg=39104-39130=391=237|
            Kiel=24103-24159=431=247|Erfurt=99084-99099=361=214|Rostock=18055-18147=381=209|
            Freiburg im Breisgau=79098-79117=761=231|Cottbus=03042-03055=355=99|Gera=07545-07557=365=93|
            Jena=07743-07751=3641=111|Potsdam=14467-14482=331=183""",
        "postal_width": 5,
        "phone": ("49", "0", "151 152 157 159 160 162 163 170 171 172 173 174 175 176 177 178 179", 3, 11, 10, 99,
                  99, 0.15),
        "phone_fmt": [14, 14, 3, 6, 36, 0, 2, 15, 0, 0, 10],
        "mail": "gmx.de:25 web.de:25 gmail.com:25 t-online.de:12 yahoo.de:5 outlook.de:4 gmx.net:4",
        "country": "DE:25|Germany:25|Deutschland:32|Allemagne:7|Germania:5|Alemania:2|Đức:1|GERMANY:3",
        "company": "{L} GmbH:35|{L} & Co. KG:10|{W} GmbH:20|{W} AG:8|{L} e.K.:8|Müller GmbH:2|{L} GmbH & Co. KG:10",
        "common": "Thomas/Müller|Michael/Schmidt|Andreas/Schneider|Sabine/Müller|Peter/Fischer|Stefan/Weber",
    },
    "RO": {
        "share": 0.10, "date": "dmy",
        "male": """Ion Gheorghe Vasile Constantin Alexandru Mihai Andrei Nicolae Ștefan Florin Adrian Cristian Daniel
            Marian Dumitru Ionuț Gabriel Marius Bogdan Alin Cătălin Răzvan Ciprian Sorin Dorin Viorel Petru Emil Radu
            Lucian Ovidiu Claudiu Cosmin Dragoș Sebastian Mircea Vlad Tudor Matei David Darius Rareș Eduard Iulian
            Laurențiu Liviu Valentin Paul Victor George Costel Nicușor Aurel Traian Octavian Silviu Horia Remus Virgil
            Teodor Sergiu Ilie Dan Gelu Ionel Florian Cornel Doru Emanuel Robert Alexandru-Ionuț Andrei-Mihai Iosif""",
        "female": """Maria Elena Ioana Ana Mariana Gabriela Andreea Mihaela Cristina Alexandra Daniela Florentina
            Georgiana Alina Ramona Nicoleta Simona Adriana Roxana Raluca Irina Oana Diana Larisa Bianca Carmen Lucia
            Monica Camelia Loredana Denisa Alexia Sofia Ilinca Teodora Ecaterina Ștefania Luminița Rodica Viorica Doina
            Aurelia Silvia Cornelia Valentina Claudia Corina Anca Iuliana Violeta Lavinia Sorina Smaranda Medeea Antonia
            Delia Angela Mirela Liliana Paula Natalia Emilia Floarea Gheorghița Ileana Victoria Florina Ioana-Maria""",
        "last": """Popescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Ionescu Rusu Munteanu Constantin
            Florea Mihai Ion Moldovan Lazăr Dinu Marin Tudor Ene Ilie Mocanu Sima Diaconu Barbu Nistor Cristea Oprea
            Dobre Georgescu Stoian Dragomir Lungu Nedelcu Toma Neagu Zamfir Roman Niculae Ardelean Tănase Vasile Gavrilă
            Bălan Bucur Vlad Ștefan Manea Dumitrescu Mihăilă Cozma Sandu Neacșu Suciu Ungureanu Constantinescu Done
            Nicolae Crăciun Preda Enache Petrescu Anghel Stanciu Voicu Chiriac Iordache Coman Iancu Sârbu Dobrescu
            Marinescu Pavel Andrei Surdu Pană Oancea Dima Pîrvu Mitrea Niță Paraschiv Lupu Ciocan Cojocaru Tănăsescu
            Moraru Olteanu Vasilescu Mircea Croitoru Avram Grigore Petre Ioniță Jitaru Rădulescu Manole Căpraru Iliescu
            Ispas Bogdan Stoicescu Sava Badea Apostol Filip Cristescu Nica Mateescu Bratu Gheorghiu Stănescu
            Diaconescu Popovici Tudose Ursu Mihalache Bejan Ardeleanu Buzatu Chirilă Costache Costea Dragomirescu
            Dumitrache Florescu Gavril Grigoraș Hodoroagă Husar Ilieș Iordan Lazar Lungu Marcu Mazilu Neagoe Negru Nită
            Onu Pârvu Răducanu Roșu Sârbu Talpă Teodorescu Trandafir Turcu Vlădescu Zaharia""",
        "street_s": """Mihai Eminescu|Ion Creangă|Unirii|Victoriei|Libertății|Republicii|Florilor|Mihai Viteazul|
            Ștefan cel Mare|Avram Iancu|Nicolae Bălcescu|Tudor Vladimirescu|Independenței|Gării|Păcii|Primăverii|
            Lalelelor|Trandafirilor|Zorilor|Morii|Iuliu Maniu|George Coșbuc|Lucian Blaga|Vasile Alecsandri|Decebal|
            Traian|Crinului|Teilor|Castanilor|Câmpului|Mărășești|Horea|Aviatorilor|Dacia|Carol I|Regina Elisabeta|
            Lipscani|Doamnei|Nicolae Iorga|Constantin Brâncoveanu|Eroilor|Pieței|Școlii|Bisericii|Fabricii|Mioriței|
            Salcâmilor|Plopilor""",
        "street_t": "Strada:62|Str.:8|Bulevardul:10|Calea:8|Aleea:6|Șoseaua:3|Piața:3",
        "street_fmt": "{t} {s} {n}:65|{t} {s} nr. {n}:35", "n_max": 200, "n_suffix": ":1",
        "abbr": [(r"\bStrada\b", "Str."), (r"\bBulevardul\b", "Bd."), (r"\bCalea\b", "Cal."), (r"\bAleea\b", "Al."),
                 (r"\bȘoseaua\b", "Șos."), (r"\bPiața\b", "Pța."), (r"\bnr\. ", "")],
        "cities": """București=010011-062999=21=1800|Cluj-Napoca=400001-400699=264=320|
            Timișoara=300001-300999=256=300|Iași=700001-700999=232=290|Constanța=900001-900999=241=265|
            Craiova=200001-200999=251=250|Brașov=500001-500999=268=250|Galați=800001-800999=236=230|
            Ploiești=100001-100999=244=200|Oradea=410001-410999=259=196|Brăila=810001-810999=239=180|
            Arad=310001-310999=257=159|Pitești=110001-110999=248=155|Sibiu=550001-550999=269=147|
            Bacău=600001-600999=234=144|Târgu Mureș=540001-540999=265=134|Baia Mare=430001-430999=262=123|
            Buzău=120001-120999=238=115|Botoșani=710001-710999=231=106|Satu Mare=440001-440999=261=102|
            Suceava=720001-720999=230=92|Voluntari=077190=21=47|Otopeni=075100=21=15|Popești-Leordeni=077160=21=35|
            Giurgiu=080001-080999=246=54|Călărași=910001-910999=242=65""",
        "postal_width": 6,
        "phone": ("40", "0", "72 73 74 75 76 77", 3, 9, 9, 3, 3, 0.10),
        "phone_fmt": [16, 10, 5, 2, 42, 4, 4, 17, 0, 0, 0],
        "mail": "gmail.com:50 yahoo.com:30 yahoo.ro:10 outlook.com:5 hotmail.com:5",
        "country": "RO:28|Romania:35|România:25|Roumanie:7|Rumänien:2|ROMANIA:3",
        "company": "{L} S.R.L.:30|SC {L} SRL:20|{W} S.R.L.:20|{W} S.A.:8|Popescu S.R.L.:2|{L} Impex SRL:10",
        "common": "Andrei/Popescu|Maria/Popescu|Ion/Popa|Elena/Pop|Alexandru/Radu|Gheorghe/Ionescu",
    },
    "VN": {
        "share": 0.10, "date": "dmy",
        "male": """An Anh Bảo Bình Cường Dũng Duy Dương Đạt Hải Hào Hiếu Hiển Hòa Hoàng Huy Hùng Hưng Khang Khánh Khoa
            Kiên Lâm Long Luân Minh Nam Nghĩa Nhân Phát Phong Phúc Phương Quân Quang Sơn Tài Tâm Thái Thắng Thanh
            Thành Thịnh Tiến Toàn Trí Trọng Trung Tuấn Tùng Việt Vinh Vũ Lộc Đông Hậu Khôi Tú Nhật Hiệp Lực""",
        "female": """Anh Chi Dung Giang Hà Hạnh Hằng Hiền Hoa Hồng Huyền Hương Lan Liên Linh Loan Mai Ngân Ngọc Nhung
            Oanh Phương Quỳnh Tâm Thảo Thu Thúy Trang Trinh Tuyết Uyên Vân Vy Xuân Yến Nga Nhi Ly Châu My Diệp Hoài
            Thư Khánh Ánh Nguyệt Hạnh Thanh""",
        "mid_m": "Văn:40 Hữu:8 Đức:10 Minh:10 Quang:6 Thành:5 Công:4 Xuân:4 Ngọc:3 Quốc:5 Anh:3 Trung:3 Đình:5 "
                 "Hoàng:3 Tuấn:2",
        "mid_f": "Thị:50 Ngọc:10 Thu:6 Thanh:8 Phương:4 Kim:5 Minh:4 Hồng:4 Bảo:3 Mỹ:3 Diệu:2 Khánh:2 Thùy:3",
        "last": """Nguyễn:40 Trần:11 Lê:9.5 Phạm:7.1 Hoàng:4.1 Huỳnh:4 Phan:4.5 Vũ:3.9 Võ:3.1 Đặng:2.1 Bùi:2 Đỗ:1.4
            Hồ:1.3 Ngô:1.3 Dương:1 Lý:0.5 Đinh:0.5 Trương:0.5 Lâm:0.4 Mai:0.4 Đào:0.4 Cao:0.3 Lưu:0.3 Tạ:0.3 Hà:0.3
            Thái:0.2 Châu:0.2 Tô:0.2 Phùng:0.2 Quách:0.2 Kiều:0.2 Lương:0.3 Đoàn:0.3 Vương:0.2 Trịnh:0.3 Chu:0.2
            Triệu:0.1 Lục:0.1 Hứa:0.1 Tăng:0.1 La:0.1 Thân:0.1 Tiêu:0.1 Ông:0.1 Mạc:0.1 Doãn:0.1 Giang:0.1 Kim:0.1
            Lại:0.1 Nghiêm:0.1 Âu:0.1 Diệp:0.1 Từ:0.1 Khúc:0.1 Hầu:0.1""",
        "street_s": """Lê Lợi|Nguyễn Huệ|Trần Hưng Đạo|Hai Bà Trưng|Lý Thường Kiệt|Điện Biên Phủ|Nguyễn Trãi|Lê Duẩn|
            Phan Chu Trinh|Hoàng Diệu|Quang Trung|Bà Triệu|Nguyễn Du|Pasteur|Cách Mạng Tháng Tám|Võ Văn Tần|
            Lê Thánh Tôn|Tôn Đức Thắng|Nguyễn Thị Minh Khai|Phan Đình Phùng|Lạc Long Quân|Xuân Thủy|Cầu Giấy|Kim Mã|
            Láng Hạ|Giải Phóng|Nguyễn Văn Cừ|Lê Văn Sỹ|Hoàng Văn Thụ|Trường Chinh|Phạm Văn Đồng|Võ Thị Sáu|
            Nam Kỳ Khởi Nghĩa|Đinh Tiên Hoàng|Lý Tự Trọng|Nguyễn Đình Chiểu|Bạch Đằng|Trần Phú|Hùng Vương|
            Lê Hồng Phong""",
        "street_t": "Đường:80|Phố:15|Đ.:5",
        "street_fmt": "{n} {t} {s}:85|{n} {s}:15", "n_max": 300, "n_suffix": "/2:3|/4:3|/7:2|/15:2|:90",
        "abbr": [(r"\bĐường\b", "Đ."), (r"\bPhố\b", "P.")],
        "cities": """Hà Nội=100000-119999=24/3467=8000|Thành phố Hồ Chí Minh=700000-760000=28/3567=9000|
            Hải Phòng=180000-189999=225=2000|Đà Nẵng=550000-559999=236=1200|Cần Thơ=900000-909999=292=1200|
            Huế=530000-539999=234=650|Nha Trang=650000-659999=258=420|Biên Hòa=810000-819999=251=1100|
            Vũng Tàu=790000-799999=254=350|Buôn Ma Thuột=630000-639999=262=380|Quy Nhơn=590000-599999=256=290|
            Vinh=460000-469999=238=340|Thủ Dầu Một=820000-829999=274=320|Hạ Long=200000-209999=203=300|
            Đà Lạt=670000-679999=263=230|Nam Định=420000-429999=228=240""",
        "postal_width": 6,
        "phone": ("84", "0", "90 91 93 94 96 97 98 86 88 32 33 34 35 36 37 38 39 70 76 77 78 79 81 82 83 84 85",
                  3, 9, 10, 4, 4, 0.08),
        "phone_fmt": [16, 12, 3, 0, 44, 8, 2, 15, 0, 0, 0],
        "mail": "gmail.com:75 yahoo.com.vn:10 yahoo.com:5 outlook.com:5 hotmail.com:5",
        "country": "VN:28|Vietnam:35|Việt Nam:25|Viet Nam:10|VIETNAM:2",
        "company": "Công ty TNHH {V}:45|Công ty Cổ phần {V}:30|Công ty TNHH Minh Anh:3|{V} Co., Ltd:12|"
                   "Doanh nghiệp tư nhân {V}:10",
        "common": "Văn An/Nguyễn|Thị Lan/Nguyễn|Văn Hùng/Trần|Thị Hương/Lê|Văn Minh/Nguyễn|Thị Mai/Phạm",
    },
    "GB": {
        "share": 0.08, "date": "dmy",
        "male": """Oliver George Harry Jack Charlie Thomas Oscar William James Leo Alfie Freddie Archie Arthur Noah
            Henry
            Theo Jacob Isaac Joshua Edward Nigel Graham Ian Colin Neil Gareth Stuart Alistair Callum Rhys Owen Liam
            David John Paul Mark Andrew Richard Michael Peter Christopher Robert Stephen Simon Daniel Matthew Alan Kevin
            Gary Martin Darren Craig Jamie Ryan Lewis Connor Kieran Dylan Samuel Benjamin Joseph Alexander Ethan Max
            Lucas Harrison Toby Finley Reuben Hamish Angus Dafydd Iain""",
        "female": """Olivia Amelia Isla Ava Emily Sophie Lily Grace Poppy Jessica Evie Ella Freya Florence Chloe Ruby
            Siobhan Gemma Lucy Charlotte Hannah Bethany Kirsty Fiona Mairi Eleanor Harriet Imogen Alice Sarah Emma Laura
            Rebecca Claire Rachel Nicola Helen Louise Karen Susan Margaret Elizabeth Catherine Victoria Joanne Amanda
            Michelle Samantha Zoe Holly Megan Katie Jade Abigail Georgia Phoebe Rosie Millie Daisy Erin Niamh Eilidh
            Carys Ffion Shona""",
        "last": """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
            Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward
            Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price
            Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox
            Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers
            Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
            Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard
            Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson
            Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis
            Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons
            Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner
            Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long
            Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor
            Harper""",
        "street_s": """High|Station|Church|Victoria|Park|Green|Manor|Queens|Kings|Mill|Albert|London|York|Grange|Main|
            New|School|North|South|West|Chapel|Springfield|George|Windsor|Alexandra|Stanley|Richmond|Cromwell|Elm|Oak|
            Beech|Ash|Orchard|Meadow|Castle|Bridge|Market|Cambridge|Oxford|Princes|Mount|Highfield|St John's|Grove|
            Hillside|Westfield|Queen|King""",
        "street_t": "Road:32|Street:22|Lane:10|Avenue:8|Close:8|Drive:6|Gardens:4|Crescent:4|Way:3|Place:3",
        "street_fmt": "{n} {s} {t}", "n_max": 250, "n_suffix": ":1", "abbr": ENGLISH_ABBR,
        "cities": """London=SW1A SW3 SW11 SE1 SE15 E1 E14 N1 N7 NW1 NW3 W1D W2 W8 EC1A WC2H=20/378=8900|
            Birmingham=B1 B5 B13 B15 B29=121/2345=1140|Manchester=M1 M4 M14 M20 M21=161=550|
            Leeds=LS1 LS2 LS6 LS8=113/2345=790|
            Glasgow=G1 G3 G12 G41=141=630|Sheffield=S1 S7 S10 S11=114/2345=580|Liverpool=L1 L8 L15 L17=151=500|
            Bristol=BS1 BS6 BS8 BS16=117/239=470|Edinburgh=EH1 EH3 EH8 EH10=131/2345=520|
            Leicester=LE1 LE2 LE3=116/234=350|
            Cardiff=CF10 CF11 CF24=29/2=360|Nottingham=NG1 NG5 NG7=115/29=330|Newcastle upon Tyne=NE1 NE2 NE6=191=300|
            Belfast=BT1 BT7 BT9=28/9=340|Oxford=OX1 OX2 OX4=1865=150|Cambridge=CB1 CB2 CB4=1223=145|
            Brighton=BN1 BN2 BN3=1273=290|York=YO1 YO10 YO31=1904=200|Southampton=SO14 SO15 SO17=23/8=250|
            Norwich=NR1 NR2 NR3=1603=140""",
        "postal_width": 0,
        "phone": ("44", "0", "71:2 73:1 74:1", 4, 10, 10, 6, 4, 0.15),
        "phone_fmt": [14, 14, 3, 10, 45, 0, 0, 14, 0, 0, 0],
        "mail": "gmail.com:35 hotmail.co.uk:15 yahoo.co.uk:12 outlook.com:10 btinternet.com:8 icloud.com:8 sky.com:6 "
                "live.co.uk:6",
        "country": "GB:20|UK:30|United Kingdom:30|England:10|Great Britain:3|Royaume-Uni:2|Regatul Unit:1|"
                   "Vương quốc Anh:1|U.K.:3",
        "company": "{L} Ltd:35|{L} & Co Ltd:10|{W} Ltd:25|{W} plc:5|{L} and Sons Ltd:8|{W} Holdings Ltd:8",
        "common": "David/Smith|John/Jones|Sarah/Williams|James/Taylor|Paul/Brown|Emma/Davies",
    },
    "ES": {
        "share": 0.10, "date": "dmy", "double_last": 0.35,
        "male": """Antonio José Manuel Francisco David Juan Javier Daniel José_Antonio Francisco_Javier Jesús Carlos
            Alejandro Miguel José_Luis Rafael Pedro Ángel Pablo Fernando Sergio Jorge Luis Alberto Álvaro Juan_Carlos
            Adrián Diego Raúl Enrique Ramón Iván Rubén Óscar Vicente Andrés Joaquín Santiago Víctor Eduardo Mario
            Roberto
            Jaime Francisco_José Marcos Ignacio Alfonso Hugo Jordi Salvador Ricardo Emilio Guillermo Gabriel Mariano
            Julio Lucas Martín Mateo Leo Gonzalo Marc Nicolás Tomás Agustín Felipe Rodrigo Xavier Cristian Sebastián
            Íker Josep Pau Unai Aitor Julián Domingo Félix Lorenzo""",
        "female": """María Carmen Ana_María Laura María_Pilar Josefa Isabel María_Dolores Cristina Marta María_Teresa
            Ana Lucía Francisca Antonia Dolores Sara Paula Elena María_Ángeles Raquel Rosa_María Manuela Mercedes
            Concepción María_José Pilar Julia Beatriz Nuria Silvia Rosario Juana Irene Alba Patricia Teresa Encarnación
            Montserrat Andrea Rocío Mónica Alicia Marina Sonia Sofía Inmaculada Sandra Yolanda Esther Eva Ángela Noelia
            Claudia Carla Susana Natalia Verónica Amparo Inés Gloria Lorena Victoria Miriam Guadalupe Daniela Valeria
            Martina Lola Catalina Josefina Luisa Aitana Ainhoa Begoña""",
        "last": """García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Hernández Ruiz
            Díaz Moreno Muñoz Álvarez Romero Gutiérrez Alonso Navarro Torres Domínguez Ramos Vázquez Ramírez Gil Serrano
            Morales Molina Blanco Suárez Castro Ortega Delgado Ortiz Marín Rubio Núñez Medina Sanz Castillo Iglesias
            Cortés Garrido Santos Guerrero Lozano Cano Cruz Méndez Flores Prieto Herrera Peña León Márquez Cabrera
            Gallego Calvo Vidal Campos Reyes Vega Fuentes Carrasco Diez Aguilar Caballero Nieto Santana Vargas Pascual
            Giménez Herrero Hidalgo Montero Lorenzo Santiago Benítez Durán Ibáñez Arias Mora Ferrer Carmona Vicente
            Rojas
            Soto Crespo Román Pastor Velasco Parra Sáez Moya Bravo Rivera Gallardo Soler Esteban Silva Pardo Sáenz Luque
            Mendoza Martí Montes Aguirre Bermúdez Cuesta Pacheco Trujillo Escobar Lara Espinosa Rivas Salazar Sosa
            Valero Otero Sierra Manzano Cordero Estévez Figueroa Franco Rico Benito Marcos Mateo Miranda Tomás Bueno
            Osorio Acosta Varela Quintana Beltrán Robles Riera Rey Palacios Vera Paredes Pozo Arroyo Izquierdo Aparicio
            Sancho Casado Cabello Navas Mesa Merino Conde Guillén Sola Toledo Andrés Hurtado Salas Antón Villar Segura
            Ríos Jurado Ferreira Rosa Bernal Lorente Carrillo Vallejo Zamora Ballesteros Cámara Campillo Chacón""",
        "street_s": """Mayor|Real|Gran Vía|de Alcalá|Serrano|del Sol|de la Constitución|San Juan|Nueva|de la Iglesia|
            del Mercado|de Cervantes|de Goya|de Velázquez|de Colón|de Castilla|de Andalucía|de la Libertad|de España|
            del Carmen|de San Francisco|de la Paz|Ancha|de los Reyes Católicos|del Prado|de Santa María|
            de Blasco Ibáñez|de la Castellana|de Gracia|de Alfonso XIII|del Doctor Fleming|de Miguel de Unamuno|
            de Pablo Picasso|de la Estación|de Cataluña|de Valencia|de Aragón|del Pilar|de la Rosa|
            Federico García Lorca""",
        "street_t": "Calle:62|C/:6|Avenida:10|Avda.:2|Plaza:5|Paseo:5|Camino:3|Ronda:2|Travesía:2",
        "street_fmt": "{t} {s} {n}:55|{t} {s}, {n}:45", "n_max": 150, "n_suffix": ":1",
        "abbr": [(r"\bCalle\b", "C/"), (r"\bAvenida\b", "Avda."), (r"\bPlaza\b", "Pza."), (r"\bPaseo\b", "Pso."),
                 (r"\bCamino\b", "Cno."), (r"\bRonda\b", "Rda."), (r"\bTravesía\b", "Trva.")],
        "cities": """Madrid=28001-28055=91=3300|Barcelona=08001-08042=93=1650|Valencia=46001-46026=96=800|
            Sevilla=41001-41020=95=690|Zaragoza=50001-50021=976=680|Málaga=29001-29018=952=580|
            Murcia=30001-30012=968=460|Palma=07001-07015=971=420|Las Palmas de Gran Canaria=35001-35019=928=380|
            Bilbao=48001-48015=94/4=345|Alicante=03001-03016=965=340|Córdoba=14001-14014=957=320|
            Valladolid=47001-47017=983=300|Vigo=36201-36216=986=295|Gijón=33201-33213=985=270|
            L'Hospitalet de Llobregat=08901-08908=93=265|A Coruña=15001-15011=981=245|Granada=18001-18014=958=230|
            Vitoria-Gasteiz=01001-01015=945=255|Elche=03201-03208=966=235|Almería=04001-04009=950=200|
            Albacete=02001-02008=967=175|Girona=17001-17007=972=100|Salamanca=37001-37008=923=145""",
        "postal_width": 5,
        "phone": ("34", "", "6:95 71:2 72:2 73:1", 3, 9, 9, 3, 3, 0.12),
        "phone_fmt": [16, 20, 8, 0, 44, 4, 2, 6, 0, 0, 0],
        "mail": "gmail.com:45 hotmail.com:20 yahoo.es:10 outlook.es:10 telefonica.net:5 icloud.com:5 movistar.es:5",
        "country": "ES:28|Spain:25|España:35|Espagne:8|Spanien:2|Tây Ban Nha:1|ESPAÑA:1",
        "company": "{L} S.L.:40|{W} S.A.:15|{W} S.L.:20|Hermanos {L} S.L.:8|{L} y Asociados:8",
        "common": "José/García|María/García|Antonio/Rodríguez|Manuel/Fernández|Carmen/López|David/Martínez",
    },
}
# Small localities: everyone not in a listed city lives in one of these (share = 1 - listed-city population /
# country population, so ~70-90% as in reality; cities carry their real populations in thousands). Each locality
# gets one postcode drawn from its parent city's region (first two digits, VN one: département, Leitregion, province,
# county, state area; GB: a postcode area no listed city uses) but outside every city's own codes, and reuses the
# parent's phone area code. Names are built from small vocabularies: {a} stem, {b} second word, {s} saint.
TOWNS: dict[str, dict] = {
    "US": {"pop": 331, "count": 30000, "step": 1,
           "fmt": "{a}ville:4|{a} Springs:2|{a}ton:3|{a} Falls:1|Mount {a}:1|{a} City:1|Fort {a}:1|{a}burg:2|"
                  "{a}field:2|{a} Hills:1|Lake {a}:1|West {a}:1|{a} Creek:1",
           "a": "Green|Clay|Oak|Maple|Cedar|Fair|Spring|Brook|Rock|Pine|Elm|Bell|Glen|Frank|Lin|Mill|Harris|Jackson|"
                "Marion|Clinton|Hunting|Shelby|Lexing|Wood|Madison|Ash|Union|Fay|Warren|Mor|Burling|Clark|Hamil|"
                "Jeffer|Plain|Kent|Dover|Salem|Wilming|Carroll|Hudson|Stone|Chester|Hart|Browns|Hills"},
    "FR": {"pop": 68, "count": 6000, "step": 10,
           "fmt": "Saint-{s}:3|Saint-{s}-{b}:3|{a}-sur-{r}:4|{a}-{b}:3|Le {a}:1|{a}:2",
           "s": "Martin|Jean|Pierre|Julien|Germain|Laurent|Denis|Étienne|Georges|Hilaire|Michel|Paul|Aubin|Rémy|"
                "Cyr|Genis|Vincent|Marcel|Léger|Maurice|Sauveur|Amand|Médard|Privat|Quentin|Sulpice|Éloi|André",
           "a": "Villeneuve|Montigny|Châtillon|Neuville|Bourg|Pont|Fontaine|Champigny|Beaumont|Chaumont|Mesnil|"
                "Vaux|Bois|Villiers|Brie|Marsac|Fleury|Belleville|Rochefort|Aubigny|Lignières|Moulins|Varennes|"
                "Clairvaux|Sauveterre|Thouars|Verneuil|Mareuil|Ruffec|Briançon",
           "b": "sur-Loire|sur-Marne|sur-Seine|sur-Saône|le-Château|les-Bains|en-Bresse|de-Rivière|du-Bois|"
                "la-Forêt|le-Vieux|des-Prés|de-Lisle|en-Vexin|d'Aunis",
           "r": "Loire|Marne|Seine|Saône|Oise|Aisne|Meuse|Vienne|Yonne|Cher|Lot|Tarn|Orne|Sarthe|Loir|Indre|Creuse|"
                "Dordogne|Garonne|Rhône|Mer"},
    "DE": {"pop": 84, "count": 8000, "step": 1,
           "fmt": "{a}dorf:4|{a}hausen:4|{a}berg:3|{a}heim:3|{a}feld:2|{a}bach:2|{a}ingen:2|Bad {a}heim:1|"
                  "Neu{b}:1|{a}stedt:1",
           "a": "Alten|Ober|Unter|Wald|Stein|Mühl|Kirch|Linden|Rosen|Eich|Hohen|Schön|Falken|Wolfs|Sonnen|Hasel|"
                "Birken|Frauen|Kloster|Königs|Mittel|Dorn|Wein|Burg|Hain|Harten|Marien|Rein|Gunzen|Ebers|Otten|Franken",
           "b": "stadt|kirchen|markt|münster|brandenburg|haus|brück|ulm|ried|wied"},
    "RO": {"pop": 19, "count": 10000, "step": 1,
           "fmt": "{a}ești:5|{a}eni:4|{a}ani:2|Valea {b}:2|{a}eni de Sus:1|{a}ești de Jos:1",
           "a": "Pop|Dobr|Drăgăn|Stăn|Bucur|Mihăil|Vlăd|Bălc|Gheorgh|Stoen|Bărb|Răd|Tudor|Ciocăn|Băl|Frăs|Petr|"
                "Cris|Mărg|Cocor|Zăv|Vâlc|Urs|Lup|Ol|Vad|Brad|Cer|Păd|Corn|Slob|Mân",
           "b": "Mare|Seacă|Lungă|Ursului|Morii|Popii|Stânii|Teilor|Dragului|Largă|Albă|Neagră"},
    "VN": {"pop": 100, "count": 8000, "step": 1, "region": 1,
           "fmt": "Xã {a} {b}:6|Huyện {a} {b}:2|Thị trấn {a} {b}:2",
           "a": "An|Bình|Phú|Tân|Hòa|Thạnh|Long|Đông|Tây|Nam|Bắc|Thuận|Lộc|Phước|Mỹ|Hưng|Thành|Quang|Xuân|Vĩnh|"
                "Hiệp|Trung|Hải|Sơn|Cát|Yên|Đức|Hương|Kim|Tiên",
           "b": "An|Bình|Phú|Hòa|Thạnh|Lợi|Đông|Tây|Thuận|Lộc|Hưng|Thành|Xuân|Hiệp|Trung|Sơn|Điền|Yên|Đức|Khánh|"
                "Phong|Mỹ|Lâm|Hà"},
    "GB": {"pop": 67, "count": 3000, "step": 1,
           "fmt": "{a}ton:4|{a}ham:3|{a}ford:3|{a}bury:2|{a}ley:3|Little {a}ton:1|Upper {a}ford:1|{a}ton on Sea:1",
           "a": "Ash|Brad|Chip|Ald|Mel|Wel|Hart|Kings|Stan|Wood|Stock|Brom|Ather|Hal|Bur|Thorn|Sand|Nor|Sut|Pen|"
                "Cran|Whit|Ban|Bark|Hen|Lang|Mar|Red|Ship|Tad",
           "areas": "TR PL EX TQ BA GL HR SY LD LL CA LA DL TS HG DN LN PE IP CO CM SS ME CT TN RH GU PO BH DT SP RG "
                    "SN HP MK NN CV WR DY WS ST TF CW SK OL BL PR FY BB HX HD WF BD AB DD PH IV KY FK PA KA DG TD ML"},
    "ES": {"pop": 48, "count": 10000, "step": 1,
           "fmt": "San {s}:3|Santa {f}:1|{a} del {b}:3|{a} de la {c}:2|{a}:2|Villa{d}:1",
           "s": "Martín|Juan|Pedro|Miguel|Andrés|Vicente|Esteban|Lorenzo|Sebastián|Cristóbal|Bartolomé|Román",
           "f": "María|Cruz|Eulalia|Bárbara|Marta|Olalla|Cecilia|Lucía",
           "a": "Villanueva|Torre|Fuente|Puebla|Castillo|Valle|Campo|Villar|Pozo|Alcalá|Navas|Quintana|Casas|Cabeza|"
                "Peñas|Hoyos|Aldea|Robledo|Cañada|Mota",
           "b": "Río|Campo|Monte|Rey|Pinar|Prado|Valle|Conde|Marqués|Arroyo|Duque|Obispo",
           "c": "Sierra|Vega|Frontera|Reina|Jara|Mancha|Serena|Orden|Cruz|Peña",
           "d": "franca|mayor|verde|real|nueva|rubia|seca|toro"},
}

NICKNAMES_RAW = """Robert=Rob,Bob,Bobby William=Bill,Will,Billy Elizabeth=Liz,Beth,Betty Margaret=Peggy,Maggie,Meg
    Catherine=Kate,Cathy Katherine=Kate,Kathy Kathleen=Kathy James=Jim,Jimmy Michael=Mike Richard=Rick,Dick
    Thomas=Tom,Tommy Joseph=Joe,Joey Charles=Charlie,Chuck Christopher=Chris Daniel=Dan,Danny Matthew=Matt Anthony=Tony
    Jennifer=Jen,Jenny Patricia=Pat,Patty Susan=Sue Deborah=Debbie Rebecca=Becky Samantha=Sam Alexander=Alex
    Nicholas=Nick Benjamin=Ben Edward=Ed,Ted Andrew=Andy,Drew Steven=Steve Stephen=Steve Timothy=Tim Jonathan=Jon
    Kimberly=Kim Victoria=Vicky Gregory=Greg Douglas=Doug Lawrence=Larry Kenneth=Ken Ronald=Ron Donald=Don
    Gerald=Jerry Raymond=Ray Frederick=Fred Alexandra=Alex,Sandra Johann=Hans Johannes=Hans Katharina=Katja,Kathi
    Wolfgang=Wolf Friedrich=Fritz Maximilian=Max Franziska=Franzi Gabriele=Gabi Stefanie=Steffi Francisco=Paco,Pancho
    José=Pepe Josefa=Pepa Manuel=Manolo Dolores=Lola Concepción=Concha Guadalupe=Lupe Ignacio=Nacho Enrique=Quique
    Rosario=Charo Francisco_Javier=Javier José_Antonio=José María_José=María Nicolas=Nico Frédéric=Fred
    Christophe=Chris Alexandre=Alex Stéphanie=Steph Jean-Pierre=JP,Jean_Pierre Jean-Claude=Jean_Claude
    Jean-François=JF Marie-Claude=Marie Alexandru=Alex Gheorghe=George,Gică Ioana=Oana Constantin=Costel,Costi
    Cristian=Cristi Ion=Ionel Nicolae=Nicu Ștefan=Fane Gabriela=Gabi"""
SIMILAR_RAW = """Jean=Jeanne Louis=Louise Daniel=Danielle,Daniela Michel=Michèle Paul=Pauline,Paula Denis=Denise
    Simon=Simone Christian=Christiane,Christina Julien=Julie Laurent=Laurence Frédéric=Frédérique François=Françoise
    Gabriel=Gabrielle,Gabriela Pascal=Pascale Andrei=Andreea Nicolae=Nicoleta Florin=Florina Mihai=Mihaela
    Francisco=Francisca Juan=Juana Antonio=Antonia Manuel=Manuela Mario=María Julio=Julia Jan=Jana Andreas=Andrea
    Stefan=Stefanie Michael=Michaela Martin=Martina John=Joan Robert=Roberta Joseph=Josephine Patrick=Patricia
    Eric=Erica Carl=Carla George=Georgia Alexander=Alexandra Alexandru=Alexandra Ion=Ioana"""
COMPANY_WORDS = ("Acme|Globex|Initech|Nova|Alpha|Delta|Orion|Vertex|Atlas|Summit|Pioneer|Horizon|Apex|Quantum|"
                 "Sterling|Zenith|Nexus|Evergreen|Keystone|Meridian|Phoenix|Sigma|Titan|Vega|Cobalt|Granite")
VN_COMPANY_WORDS = ("Minh Anh|Hoàng Long|Phú Thành|Việt Tiến|Thành Công|An Phát|Hưng Thịnh|Đại Nam|Sao Mai|Tân Phát|"
                    "Hòa Bình|Phúc Lộc|Bình Minh|Trường Sơn|Kim Long|Thiên Phú|Nam Việt|Gia Huy")
EMAIL_PATTERNS = ("{f}.{l}:24|{f}{l}:10|{fi}.{l}:8|{f}_{l}:4|{f}.{l}{yy}:12|{l}.{f}:4|{f}{li}{num}:8|"
                  "{f}{l}{num}:14|{l}{fi}:3|{f}{num}:8|{fi}{l}{yy}:5")
NEW_EMAIL_PATTERNS = "{f}.{l}{num}:1|{f}{num}:1|{l}{f}{num}:1|{fi}{l}{num}:1|{f}_{l}{num}:1"
OPT_YES = "yes:45|Yes:10|1:25|oui:10|true:5|Y:5"
OPT_NO = ":60|no:25|0:8|non:4|false:3"

# ---------------------------------------------------------------------------------------------------------------
# Parsed structures
# ---------------------------------------------------------------------------------------------------------------
DIGITS2 = np.array([f"{i:02d}" for i in range(100)], dtype=object)
DIGIT_BYTES = np.frombuffer("".join(f"{i:04d}" for i in range(10000)).encode(), dtype=np.uint8).reshape(10000, 4)
NUMSTR = np.array([str(i) for i in range(10000)], dtype=object)
WIDEN_AFTER = 25   # redraw rounds of e-mail suffixes before four-digit ones are allowed (only lists of millions)
US_EXCHANGES = np.array([x for x in range(200, 1000) if x % 100 != 11 and x != 555])  # 2-9 first, no N11, no 555
GB_INWARD = np.array([f"{d}{a}{b}" for d in range(10) for a in "ABDEFGHJLNPQRSTUWXYZ" for b in "ABDEFGHJLNPQRSTUWXYZ"],
                     dtype=object)
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "SS", "đ": "d", "Đ": "D", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE",
                          "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "\u0131": "i"})


def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch.translate(_SPECIAL)) if not unicodedata.combining(c))


FOLD = {cp: f for cp in range(0x80, 0x2000) if (f := _fold_char(chr(cp))) != chr(cp)}


EMAIL_CHARS = {cp: "".join(ch for ch in _fold_char(chr(cp)).lower() if ch.isascii() and ch.isalnum())
               for cp in range(0x2000)}


def fold(text: str) -> str:
    """ASCII-fold with one precomputed translate table: Nguyễn -> Nguyen, Ștefan -> Stefan, Straße -> Strasse."""
    return text.translate(FOLD)


class Pool(NamedTuple):
    """Values with normalised sampling probabilities."""

    values: np.ndarray
    p: np.ndarray

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.values[rng.choice(len(self.values), n, p=self.p)]


def _pool(text: str, sep: str | None = None, zipf: float = 0.0, space: str = "_") -> Pool:
    """Parse 'a b c' or 'x:3|y:1'; tokens without ':weight' get Zipf rank weights (lists are frequency-ordered).

    `space` (default "_") stands for a space inside a token: "José_Antonio", "_bis".
    """
    seen: dict[str, float] = {}
    for raw in text.split(sep):
        tok = " ".join(raw.split())  # tokens may be wrapped across source lines
        name, colon, w = tok.rpartition(":")
        if not colon or not w.replace(".", "", 1).isdigit():
            name, w = tok, ""
        name = name.replace(space, " ") if space else name
        if tok and name not in seen:
            seen[name] = float(w) if w else (len(seen) + 1) ** -zipf
    p = np.array(list(seen.values()))
    return Pool(np.array(list(seen), dtype=object), p / p.sum())


def _mapping(text: str) -> dict[str, tuple[str, ...]]:
    """Parse 'Robert=Rob,Bob ...' into a name -> alternatives dict."""
    pairs = (tok.partition("=") for tok in text.split())
    return {k.replace("_", " "): tuple(v.replace("_", " ") for v in vals.split(",")) for k, _, vals in pairs}


@dataclass(frozen=True)
class Cities:
    """Weighted cities with phone area code and postal ranges, so city and postal code always agree."""

    names: np.ndarray
    area: np.ndarray
    p: np.ndarray
    start: np.ndarray  # first postal range of each city in lo/hi/outward
    count: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    outward: np.ndarray  # UK outward codes ("SW1A"); numeric countries use lo/hi
    area_len: np.ndarray  # length of the area code (first digit group of a landline)
    pstart: np.ndarray  # landline prefixes: area code + allowed next digit ("20/378" -> 203, 207, 208)
    pcount: np.ndarray
    prefixes: np.ndarray  # as integers, with their digit counts in prefix_len
    prefix_len: np.ndarray


def _cities(text: str) -> Cities:
    keys = ("names", "area", "p", "start", "count", "lo", "hi", "outward", "area_len", "pstart", "pcount", "prefixes",
            "prefix_len")
    cols: dict[str, list] = {k: [] for k in keys}
    for entry in text.split("|"):
        name, codes, area_spec, weight = (" ".join(x.split()) for x in entry.split("="))
        area, _, leads = area_spec.partition("/")
        cols["names"].append(name)
        cols["area"].append(area)
        cols["area_len"].append(len(area))
        cols["pstart"].append(len(cols["prefixes"]))
        prefixes = [area + d for d in leads] or [area]
        cols["prefixes"] += [int(x) for x in prefixes]
        cols["prefix_len"] += [len(x) for x in prefixes]
        cols["pcount"].append(len(cols["prefixes"]) - cols["pstart"][-1])
        cols["p"].append(float(weight))
        cols["start"].append(len(cols["lo"]))
        for tok in codes.split():
            a, _, b = tok.partition("-")
            cols["lo"].append(int(a) if a.isdigit() else 0)
            cols["hi"].append(int(b or a) if a.isdigit() else 0)
            cols["outward"].append("" if a.isdigit() else tok)
        cols["count"].append(len(cols["lo"]) - cols["start"][-1])
    text_cols = ("names", "area", "outward")
    arrays = {k: np.array(v, dtype=object if k in text_cols else None) for k, v in cols.items()}
    arrays["p"] = arrays["p"] / arrays["p"].sum()
    return Cities(**arrays)


def _free_codes(rng: np.random.Generator, c: Cities, parent: np.ndarray, width: int, step: int,
                region: int) -> np.ndarray:
    """One postcode per town, in its parent city's region (first digits) but outside every city's own codes.

    Regions are taken from a random code of the parent's ranges; a draw that lands in a city's range is redrawn
    (from another parent after a few tries), so every town code is free. Towns may share a code, as villages do.
    """
    scale = 10 ** (width - region)
    order = np.argsort(c.lo)
    lo, hi = c.lo[order], c.hi[order]
    codes = np.full(len(parent), -1, dtype=np.int64)
    todo = np.arange(len(parent))
    for attempt in range(200):
        if attempt and attempt % 10 == 0:
            parent[todo] = rng.choice(len(c.names), len(todo), p=c.p)
        p = parent[todo]
        r = c.start[p] + (rng.random(len(todo)) * c.count[p]).astype(int)
        base = (c.lo[r] + (rng.random(len(todo)) * (c.hi[r] - c.lo[r] + 1)).astype(np.int64)) // scale * scale
        cand = base + rng.integers(1, scale // step, len(todo)) * step
        k = np.searchsorted(lo, cand, side="right") - 1
        ok = (k < 0) | (cand > hi[np.maximum(k, 0)])
        codes[todo[ok]] = cand[ok]
        todo = todo[~ok]
        if not len(todo):
            return codes
    raise RuntimeError("no free postcode left for small localities")


def _with_towns(code: str, c: Cities, width: int) -> Cities:
    """The listed cities plus the locale's small localities (see TOWNS), with fixed per-locale randomness."""
    spec = TOWNS[code]
    rng = np.random.default_rng([2024, list(RAW).index(code)])  # the same localities for every seed
    n = spec["count"]
    town_share = 1.0 - float(np.sum([float(e.split("=")[3]) for e in RAW[code]["cities"].split("|")])) / (
        spec["pop"] * 1000)
    parent = rng.choice(len(c.names), n, p=c.p ** 0.25 / (c.p ** 0.25).sum())  # towns spread over regions
    words = {k: np.array(v.split("|"), dtype=object) for k, v in spec.items() if len(k) == 1}  # {a} {b} {s}...
    fields = {k: w[rng.integers(0, len(w), n)] for k, w in words.items()}
    names = _fill_pool(rng, _pool(spec["fmt"], "|"), fields, n)
    weight = np.minimum(rng.lognormal(0.0, 0.8, n), 6.0)
    if width:
        lo = _free_codes(rng, c, parent, width, spec["step"], spec.get("region", 2))
        outward = np.full(n, "", dtype=object)
    else:
        areas = np.array(spec["areas"].split(), dtype=object)
        lo = np.zeros(n, dtype=np.int64)
        outward = areas[rng.integers(0, len(areas), n)] + NUMSTR[rng.integers(1, 30, n)]
    p = np.concatenate([c.p * (1 - town_share), weight / weight.sum() * town_share])
    return Cities(
        names=np.concatenate([c.names, names]), area=np.concatenate([c.area, c.area[parent]]), p=p / p.sum(),
        start=np.concatenate([c.start, len(c.lo) + np.arange(n)]), count=np.concatenate([c.count, np.ones(n, int)]),
        lo=np.concatenate([c.lo, lo]), hi=np.concatenate([c.hi, lo]), outward=np.concatenate([c.outward, outward]),
        area_len=np.concatenate([c.area_len, c.area_len[parent]]), pstart=np.concatenate([c.pstart, c.pstart[parent]]),
        pcount=np.concatenate([c.pcount, c.pcount[parent]]), prefixes=c.prefixes, prefix_len=c.prefix_len)


@dataclass(frozen=True)
class PhonePlan:
    """National numbering: calling code, trunk prefix, mobile prefixes, NSN lengths and digit grouping."""

    cc: str
    trunk: str
    mobile: Pool | None
    first_len: int
    nsn_mob: int
    nsn_land: int
    group_mob: int
    group_land: int
    land_share: float


@dataclass(frozen=True)
class Locale:
    """Everything needed to synthesise one country's customers."""

    code: str
    share: float
    date_style: str
    male: Pool
    female: Pool
    last: Pool
    mid_m: Pool | None
    mid_f: Pool | None
    double_last: float
    street: dict[str, Pool]
    street_fmt: Pool
    n_max: int
    n_suffix: Pool
    abbr: re.Pattern[str]
    abbr_to: tuple[str, ...]
    cities: Cities
    postal_width: int
    phone: PhonePlan
    phone_fmt: np.ndarray
    mail: Pool
    country: Pool
    company: Pool
    common: tuple[np.ndarray, np.ndarray]

    def abbreviate(self, street: str) -> str:
        return self.abbr.sub(lambda m: self.abbr_to[(m.lastindex or 1) - 1], street)


def _locale(code: str, raw: dict) -> Locale:
    street = {k[-1]: _pool(raw[k], "|") for k in ("street_s", "street_t", "street_a") if k in raw}
    pairs = [c.split("/") for c in raw["common"].split("|")]
    fmt = np.array(raw["phone_fmt"], dtype=float)
    cc, trunk, mobile, *plan = raw["phone"]
    return Locale(
        code=code, share=raw["share"], date_style=raw["date"], male=_pool(raw["male"], zipf=0.5),
        female=_pool(raw["female"], zipf=0.5), last=_pool(raw["last"], zipf=0.6),
        mid_m=_pool(raw["mid_m"]) if "mid_m" in raw else None, mid_f=_pool(raw["mid_f"]) if "mid_f" in raw else None,
        double_last=raw.get("double_last", 0.0), street=street, street_fmt=_pool(raw["street_fmt"], "|"),
        n_max=raw["n_max"], n_suffix=_pool(raw["n_suffix"], "|"),
        abbr=re.compile("|".join(f"({p})" for p, _ in raw["abbr"])), abbr_to=tuple(r for _, r in raw["abbr"]),
        cities=_with_towns(code, _cities(raw["cities"]), raw["postal_width"]), postal_width=raw["postal_width"],
        phone=PhonePlan(cc, trunk, _pool(mobile) if mobile else None, *plan), phone_fmt=fmt / fmt.sum(),
        mail=_pool(raw["mail"]), country=_pool(raw["country"], "|"), company=_pool(raw["company"], "|"),
        common=(np.array([a for a, _ in pairs], dtype=object), np.array([b for _, b in pairs], dtype=object)),
    )



# ---------------------------------------------------------------------------------------------------------------
# Vectorised helpers (object arrays of str; per-row Python only through per-distinct-value maps)
# ---------------------------------------------------------------------------------------------------------------


def _map_unique(values: np.ndarray, func: Callable[[str], str]) -> np.ndarray:
    """Apply a str function once per distinct value (names and codes repeat a lot)."""
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [func(u) for u in uniques]
    return mapped[codes]


def _repeated(values: np.ndarray) -> np.ndarray:
    """True for every occurrence of a value after its first (factorize numbers values in order of appearance)."""
    codes = pd.factorize(values)[0]
    return np.concatenate([[False], codes[1:] <= np.maximum.accumulate(codes)[:-1]]) if len(codes) else codes > 0


def _numstr(num: np.ndarray, sizes: list[int], seps: str | list[str] = "", prefix: str = "") -> np.ndarray:
    """Zero-padded digit groups of ints as str ("+33 6 12 34 56 78", "02134", "C0000001").

    Built as one ASCII byte matrix (4-digit table lookups, separators as constant columns) that is decoded and split
    once: no per-row formatting.
    """
    m, length = len(num), sum(sizes)
    seps = [seps] * (len(sizes) - 1) if isinstance(seps, str) else seps
    chunks = -(-length // 4)
    digits = np.concatenate([DIGIT_BYTES[(num // 10 ** (4 * (chunks - 1 - i))) % 10000] for i in range(chunks)],
                            axis=1)[:, 4 * chunks - length:]

    def const(text: str) -> np.ndarray:
        return np.broadcast_to(np.frombuffer(text.encode("ascii"), dtype=np.uint8), (m, len(text)))

    blocks, pos = [const(prefix)], 0
    for i, size in enumerate(sizes):
        blocks += [const(seps[i - 1])] if i else []
        blocks.append(digits[:, pos:pos + size])
        pos += size
    text = np.ascontiguousarray(np.concatenate([*blocks, const("\n")], axis=1)).tobytes().decode("ascii")
    out = np.empty(m, dtype=object)
    out[:] = text.split("\n")[:-1]
    return out


def _fill(template: str, fields: dict[str, np.ndarray], m: int) -> np.ndarray:
    """Vectorised str.format: concatenates literal parts and field arrays."""
    parts: list = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts += [literal] if literal else []
        parts += [fields[field]] if field else []
    out = parts[0] if isinstance(parts[0], np.ndarray) else np.full(m, parts[0], dtype=object)
    for part in parts[1:]:
        out = out + part
    return out


def _fill_pool(rng: np.random.Generator, templates: Pool, fields: dict[str, np.ndarray], m: int,
               pick: np.ndarray | None = None) -> np.ndarray:
    """Fill a weighted random template per row (or the template given by `pick`)."""
    pick = rng.choice(len(templates.values), m, p=templates.p) if pick is None else pick
    out = np.empty(m, dtype=object)
    for k, template in enumerate(templates.values):
        sel = np.flatnonzero(pick == k)
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        if len(sel):
            out[sel] = _fill(template, {f: fields[f][sel] for f in used}, len(sel))
    return out


def _split(total: int, size: int) -> list[int]:
    """Split `total` digits into ~`size`-long groups, shorter first (7 -> 3+4, 8 -> 2+2+2+2)."""
    k = max(1, round(total / size))
    base, extra = divmod(total, k)
    return [base] * (k - extra) + [base + 1] * extra


def _by_country(country: np.ndarray, idx: np.ndarray | None = None) -> Iterator[tuple[int, Locale, np.ndarray]]:
    """Yield (country index, locale, positions) for each locale present; idx restricts to a subset."""
    idx = np.arange(len(country)) if idx is None else idx
    for ci, loc in enumerate(LOCALES):
        yield ci, loc, idx[country[idx] == ci]


LOCALES = tuple(_locale(code, raw) for code, raw in RAW.items())
CODES = tuple(loc.code for loc in LOCALES)
VN, GB = CODES.index("VN"), CODES.index("GB")
COUNTRY_P = np.array([loc.share for loc in LOCALES]) / sum(loc.share for loc in LOCALES)
NICKNAMES = _mapping(NICKNAMES_RAW)
SIMILAR = _mapping(SIMILAR_RAW)
for _key, _vals in list(SIMILAR.items()):  # symmetric: Jeanne -> Jean as well as Jean -> Jeanne
    for _v in _vals:
        SIMILAR.setdefault(_v, (_key,))
WORDS = {"W": _pool(COMPANY_WORDS, "|"), "V": _pool(VN_COMPANY_WORDS, "|")}
TEMPLATES = {k: _pool(v, "|", space="") for k, v in
             {"email": EMAIL_PATTERNS, "new_email": NEW_EMAIL_PATTERNS, "yes": OPT_YES, "no": OPT_NO}.items()}


# ---------------------------------------------------------------------------------------------------------------
# Entities: one row per real person
# ---------------------------------------------------------------------------------------------------------------


def _cluster_sizes(rng: np.random.Generator, n: int, dup_rate: float) -> np.ndarray:
    """Records per entity, summing exactly to n: a dup_rate share of entities get 1-3 extra records (mostly 1)."""
    guess = int(n / (1 + 1.4 * dup_rate) * 1.05) + 16
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < n:
        extra = rng.choice(np.array([1, 2, 3]), guess, p=[0.7, 0.2, 0.1])
        sizes = np.concatenate([sizes, 1 + np.where(rng.random(guess) < dup_rate, extra, 0)])
    cum = np.cumsum(sizes)
    last = int(np.searchsorted(cum, n))
    sizes = sizes[: last + 1]
    sizes[-1] -= cum[last] - n
    return sizes


def _names(rng: np.random.Generator, loc: Locale, male: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = len(male)
    first = np.where(male, loc.male.draw(rng, m), loc.female.draw(rng, m))
    if loc.mid_m is not None and loc.mid_f is not None:  # Vietnamese: middle + given name in first_name
        first = np.where(male, loc.mid_m.draw(rng, m), loc.mid_f.draw(rng, m)) + " " + first
    last = loc.last.draw(rng, m)
    double = np.flatnonzero(rng.random(m) < loc.double_last)  # Spanish double surname
    last[double] = last[double] + " " + loc.last.draw(rng, len(double))
    return first, last


def _street(rng: np.random.Generator, loc: Locale, m: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Street lines plus their parts (template, name, type, number), kept to abbreviate duplicates cheaply."""
    number = 1 + np.minimum(rng.gamma(1.2, loc.n_max / 6, m).astype(int), loc.n_max - 1)  # small numbers common
    parts = {k: loc.street[k].draw(rng, m) if k in loc.street else np.full(m, "", dtype=object) for k in "sta"}
    parts["n"] = NUMSTR[number] + loc.n_suffix.draw(rng, m)
    parts["tpl"] = rng.choice(len(loc.street_fmt.values), m, p=loc.street_fmt.p)
    return _fill_pool(rng, loc.street_fmt, parts, m, parts["tpl"]), parts


def _abbreviated_streets(rng: np.random.Generator, loc: Locale, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Rebuild street lines with the locale's abbreviations (Street -> St, boulevard -> bd, Strada -> Str.)."""
    fields = {k: _map_unique(parts[k], loc.abbreviate) for k in "sta"} | {"n": parts["n"]}
    templates = Pool(np.array([loc.abbreviate(t) for t in loc.street_fmt.values], dtype=object), loc.street_fmt.p)
    return _fill_pool(rng, templates, fields, len(parts["n"]), parts["tpl"])


def _postal(rng: np.random.Generator, loc: Locale, city: np.ndarray) -> np.ndarray:
    c, m = loc.cities, len(city)
    r = c.start[city] + (rng.random(m) * c.count[city]).astype(int)
    if loc.postal_width:
        return _numstr(c.lo[r] + (rng.random(m) * (c.hi[r] - c.lo[r] + 1)).astype(np.int64), [loc.postal_width])
    return c.outward[r] + " " + GB_INWARD[rng.integers(0, len(GB_INWARD), m)]


def _phones(rng: np.random.Generator, loc: Locale, land: np.ndarray, prefix: np.ndarray, prefix_len: np.ndarray,
            head: np.ndarray) -> tuple[np.ndarray, ...]:
    """National significant numbers as ints, with their length, first-group length and group size.

    Landlines start with the city's area code (+ an allowed next digit), mobiles with an allocated mobile prefix
    (prefix lists were checked against libphonenumber's metadata); the rest is random digits.
    """
    plan, m = loc.phone, len(land)
    num, free, head = prefix.copy(), plan.nsn_land - prefix_len, head.copy()
    nsn, group = np.full(m, plan.nsn_land), np.full(m, plan.group_land)
    if plan.mobile is not None:
        mob = np.flatnonzero(~land)
        pick = rng.choice(len(plan.mobile.values), len(mob), p=plan.mobile.p)
        num[mob] = np.array([int(v) for v in plan.mobile.values])[pick]
        free[mob] = plan.nsn_mob - np.array([len(v) for v in plan.mobile.values])[pick]
        head[mob], nsn[mob], group[mob] = plan.first_len, plan.nsn_mob, plan.group_mob
    if plan.cc == "1":  # NANP exchange: 2-9 first, no N11, no 555
        num, free = num * 1000 + US_EXCHANGES[rng.integers(0, len(US_EXCHANGES), m)], free - 3
    return num * 10**free + rng.integers(0, 10**free), nsn, head, group


def _all_phones(rng: np.random.Generator, ent: dict[str, Any], land: np.ndarray, shared: np.ndarray) -> None:
    """Phones for every entity, redrawn until no two entities share one (except `shared`, copied afterwards)."""
    country = ent["country"]
    e = len(country)
    for k in ("phone", "nsn", "head", "group"):
        ent[k] = np.zeros(e, dtype=np.int64)
    keep = np.ones(e, dtype=bool)
    keep[shared] = False
    todo = np.arange(e)
    for _ in range(20):
        for _ci, loc, sel in _by_country(country, todo):
            drawn = _phones(rng, loc, land[sel], ent["land_prefix"][sel], ent["plen"][sel], ent["area_len"][sel])
            for k, v in zip(("phone", "nsn", "head", "group"), drawn, strict=True):
                ent[k][sel] = v
        todo = np.flatnonzero(_repeated(np.where(keep, country * 10**12 + ent["phone"], -1 - np.arange(e))))
        if not len(todo):
            break


def _similar_first(rng: np.random.Generator, partner_first: np.ndarray, country: np.ndarray) -> np.ndarray:
    """A different first name for a household member; sometimes a near-identical one (Jean/Jeanne, Văn An/Thị An)."""
    out = np.empty(len(partner_first), dtype=object)
    todo = np.arange(len(out))
    for _ in range(10):  # redraw until it differs from the partner's own first name
        for _ci, loc, sel in _by_country(country, todo):
            out[sel], _ = _names(rng, loc, rng.random(len(sel)) < 0.5)
        todo = np.flatnonzero(out == partner_first)
        if not len(todo):
            break

    def similar(name: str) -> str:
        head, _, tail = name.partition(" ")
        if tail and head in ("Văn", "Thị"):
            return ("Văn " if head == "Thị" else "Thị ") + tail
        return SIMILAR.get(name, ("",))[0]

    alt = _map_unique(partner_first, similar)
    use = (alt != "") & (rng.random(len(out)) < 0.35)
    out[use] = alt[use]
    return out


def _email_locals(rng: np.random.Generator, first: np.ndarray, last: np.ndarray, birth: np.ndarray,
                  patterns: Pool) -> np.ndarray:
    """Local parts from ASCII-folded names (john.smith, jsmith84, nguyenvanan...)."""
    fields: dict[str, np.ndarray] = {}
    for key, names in (("f", first), ("l", last)):
        codes, uniques = pd.factorize(names)
        clean = [u.translate(EMAIL_CHARS) for u in uniques]  # folded, lower-case, letters and digits only
        fields[key] = np.array([*clean, ""], dtype=object)[codes]
        fields[key + "i"] = np.array([*(u[:1] for u in clean), ""], dtype=object)[codes]
    years = birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    fields.update(yy=DIGITS2[years % 100], num=NUMSTR[rng.integers(1, 1000, len(first))])
    return _fill_pool(rng, patterns, fields, len(first))


def _unique_addresses(rng: np.random.Generator, local: np.ndarray, domain: np.ndarray, known: set[str],
                      check_all: bool = False) -> np.ndarray:
    """Addresses nobody else has: clashing ones (john.smith@gmail.com) get digits appended; `known` is updated.

    Entity level: one hash pass finds the clashes among all addresses. Later (check_all): every new address is
    checked against `known`. Fixes are drawn for all clashing rows at once and re-checked until none clash.
    """
    addr = local + "@" + domain
    if check_all:
        todo, cand = np.arange(len(addr)), addr.copy()
    else:
        todo, cand = np.flatnonzero(_repeated(addr)), None
        known.update(addr.tolist())
    rounds = 0
    while len(todo):
        if cand is None:   # 1-999 suffixes first; a mailbox name common enough to use them all up gets longer ones
            top = 1000 if rounds < WIDEN_AFTER else len(NUMSTR)
            cand = local[todo] + NUMSTR[rng.integers(1, top, len(todo))] + "@" + domain[todo]
            rounds += 1
        ok = np.fromiter((a not in known for a in cand.tolist()), dtype=bool, count=len(cand)) & ~_repeated(cand)
        addr[todo[ok]] = cand[ok]
        known.update(cand[ok].tolist())
        todo, cand = todo[~ok], None
    return addr


def _entities(rng: np.random.Generator, e: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Draw every person's true attributes, plus households (same address) and namesakes (same common name)."""
    country = rng.choice(len(LOCALES), e, p=COUNTRY_P)
    h = round(e * HOUSEHOLD_RATE) if e >= 4 else 0
    picked = rng.choice(e, 2 * h, replace=False)
    members, partners = picked[:h], picked[h:]  # member = another person living at the partner's address
    country[members] = country[partners]
    male = rng.random(e) < 0.5
    ent = {k: np.empty(e, dtype=object) for k in ("first", "last", "street", "postal", "city", "domain")}
    ent.update({k: np.zeros(e, dtype=np.int64) for k in ("cvar", "pfmt", "area_len", "land_prefix", "plen")})
    ent["country"] = country
    land = np.zeros(e, dtype=bool)
    for _ci, loc, idx in _by_country(country):
        m = len(idx)
        ent["first"][idx], ent["last"][idx] = _names(rng, loc, male[idx])
        city = rng.choice(len(loc.cities.names), m, p=loc.cities.p)
        ent["city"][idx], ent["area_len"][idx] = loc.cities.names[city], loc.cities.area_len[city]
        lead = loc.cities.pstart[city] + (rng.random(m) * loc.cities.pcount[city]).astype(int)
        ent["land_prefix"][idx], ent["plen"][idx] = loc.cities.prefixes[lead], loc.cities.prefix_len[lead]
        ent["postal"][idx] = _postal(rng, loc, city)
        ent["street"][idx], parts = _street(rng, loc, m)
        for k, v in parts.items():
            ent.setdefault(f"street_{k}", np.empty(e, dtype=v.dtype))[idx] = v
        ent["domain"][idx] = loc.mail.draw(rng, m)
        ent["cvar"][idx] = rng.choice(len(loc.country.values), m, p=loc.country.p)
        ent["pfmt"][idx] = rng.choice(11, m, p=loc.phone_fmt)
        land[idx] = rng.random(m) < loc.phone.land_share
    free = np.ones(e, dtype=bool)
    free[picked] = False
    twins = rng.choice(np.flatnonzero(free), min(int(free.sum()), int(e * COMMON_NAME_RATE)), replace=False)
    for _ci, loc, sel in _by_country(country, twins):  # namesakes: unrelated people with the commonest names
        pick = rng.integers(0, len(loc.common[0]), len(sel))
        ent["first"][sel], ent["last"][sel] = loc.common[0][pick], loc.common[1][pick]
    ent["first"][members] = _similar_first(rng, ent["first"][partners], country[partners])
    for k in ("last", "street", "street_s", "street_t", "street_a", "street_n", "street_tpl", "postal", "city",
              "land_prefix", "plen", "area_len"):
        ent[k][members] = ent[k][partners]
    shared = rng.random(h) < 0.5  # half the households share one landline
    land[partners[shared]] = True
    _all_phones(rng, ent, land, members[shared])
    for k in ("phone", "nsn", "head", "group", "pfmt"):
        ent[k][members[shared]] = ent[k][partners[shared]]
    ent["has_phone"], ent["has_email"] = rng.random(e) >= 0.08, rng.random(e) >= 0.06
    ent["has_phone"][picked[np.concatenate([shared, shared])]] = True
    birth = rng.integers(np.datetime64("1940-01-01", "D").astype(np.int64),
                         np.datetime64("2002-01-01", "D").astype(np.int64), e)
    birth[members] += np.where(birth[members] == birth[partners], 1000, 0)
    ent.update(birth=birth, birth_local=rng.random(e) < 0.25, signup=REF_DAY - rng.integers(0, 6 * 365, e),
               opt_out=rng.random(e) < 0.05)
    local = _email_locals(rng, ent["first"], ent["last"], birth, TEMPLATES["email"])
    ent["known_emails"] = set()
    ent["email"] = _unique_addresses(rng, local, ent["domain"], ent["known_emails"])
    ent["company"] = np.full(e, "", dtype=object)
    for _ci, loc, sel in _by_country(country, np.flatnonzero(rng.random(e) < 0.20)):
        m = len(sel)
        fields = {"L": np.where(rng.random(m) < 0.5, ent["last"][sel], loc.last.draw(rng, m)),
                  "W": WORDS["W"].draw(rng, m), "V": WORDS["V"].draw(rng, m)}
        ent["company"][sel] = _fill_pool(rng, loc.company, fields, m)
    return ent, {"households": h, "shared_landline": int(shared.sum()), "common_name": len(twins)}


# ---------------------------------------------------------------------------------------------------------------
# Records: originals plus corrupted duplicates, already in shuffled order
# ---------------------------------------------------------------------------------------------------------------


def _corruption_flags(rng: np.random.Generator, ent: dict[str, Any], rec: np.ndarray,
                      dup: np.ndarray) -> dict[str, np.ndarray]:
    """Random corruption subset per duplicate, trimmed so that a careful human could still link it."""
    f = {k: dup & (rng.random(len(rec)) < p) for k, p in CORRUPT.items()}
    f["typo_first"] &= ~f["nick"]
    f["email_drop"] &= ~f["email_new"]
    f["email_case"] &= ~(f["email_drop"] | f["email_new"])
    f["phone_fmt"] &= ~f["phone_drop"]
    f["birth_swap"] &= ~f["birth_missing"]
    email_lost = ~ent["has_email"][rec] | f["email_drop"] | f["email_new"]
    phone_lost = ~ent["has_phone"][rec] | f["phone_drop"]
    for k in NAME_HARD:  # damage the name only while the email or the phone still links the record
        f[k] &= ~(email_lost & phone_lost)
    return f


def _typo(word: str, op: int, u: float, letter: str) -> str:
    """One keyboard slip: insertion, deletion, substitution or transposition (never on the first letter)."""
    if len(word) < 3:
        return word
    i = 1 + int(u * (len(word) - 1))
    letter = letter.upper() if word.isupper() else letter
    if op == 0:
        return word[:i] + letter + word[i:]
    if op == 1 or (op == 2 and word[i] == letter):
        return word[:i] + word[i + 1:]
    if op == 2:
        return word[:i] + letter + word[i + 1:]
    i = min(i, len(word) - 2)
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return swapped if swapped != word else word[:i] + word[i + 1:]


def _typos(rng: np.random.Generator, words: np.ndarray) -> np.ndarray:
    m = len(words)
    args = zip(words, rng.integers(0, 4, m), rng.random(m), rng.integers(0, 26, m), strict=True)
    out = np.empty(m, dtype=object)
    out[:] = [_typo(w, op, u, string.ascii_lowercase[c]) for w, op, u, c in args]
    return out


def _nicknames(rng: np.random.Generator, names: np.ndarray, is_vn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nickname, found) per row: Robert -> Bob/Rob, José -> Pepe, Vietnamese "Văn An" -> "An"."""
    codes, uniques = pd.factorize(np.where(is_vn, "vn\t", "") + names)
    choices = [(u[3:].rsplit(" ", 1)[-1],) if u.startswith("vn\t") and " " in u else NICKNAMES.get(u, ())
               for u in uniques]
    found = np.array([bool(c) for c in choices], dtype=bool)[codes]
    out = names.copy()
    picks = zip(codes[found], rng.integers(0, 1 << 30, int(found.sum())), strict=True)
    out[found] = [choices[c][r % len(choices[c])] for c, r in picks]
    return out, found


def _corrupt_names(rng: np.random.Generator, f: dict[str, np.ndarray], c: np.ndarray, first: np.ndarray,
                   last: np.ndarray) -> None:
    """In place: nickname, typos, case change, first/last swap (diacritics are stripped with the address)."""
    sel = np.flatnonzero(f["nick"])
    first[sel], found = _nicknames(rng, first[sel], c[sel] == VN)
    f["nick"][sel[~found]] = False
    for key, arr in (("typo_first", first), ("typo_last", last)):
        sel = np.flatnonzero(f[key])
        arr[sel] = _typos(rng, arr[sel])
    upper = rng.random(len(first)) < 0.6
    for func, mask in ((str.upper, f["case"] & upper), (str.lower, f["case"] & ~upper)):
        sel = np.flatnonzero(mask)
        first[sel], last[sel] = _map_unique(first[sel], func), _map_unique(last[sel], func)
    sel = np.flatnonzero(f["swap"])
    first[sel], last[sel] = last[sel], first[sel]


def _format_phones(loc: Locale, fmt: int, num: np.ndarray, sizes: list[int]) -> np.ndarray:
    """One of the 11 written forms of the same national number."""
    cc, trunk = loc.phone.cc, loc.phone.trunk
    prefix, seps = {
        E164: (f"+{cc}", ""), INTL: (f"+{cc} ", " "), DBL0: (f"00{cc} ", " "), PAREN0: (f"+{cc} (0)", " "),
        NSPACE: (trunk, " "), NDOT: (trunk, "."), NDASH: (trunk, "-"), NCOMPACT: (trunk, ""),
        USPAREN: ("(", [") ", "-"]), USONE: ("1-", "-"), NSLASH: (trunk, ["/"] + [" "] * (len(sizes) - 2)),
    }[fmt]
    return _numstr(num, sizes, seps, prefix)


def _phone_column(rng: np.random.Generator, ent: dict[str, Any], rec: np.ndarray, c: np.ndarray,
                  f: dict[str, np.ndarray]) -> np.ndarray:
    pfmt = ent["pfmt"][rec]
    for _ci, loc, sel in _by_country(c, np.flatnonzero(f["phone_fmt"])):  # same number, another written form
        new = rng.choice(11, len(sel), p=loc.phone_fmt)
        for _ in range(3):
            same = np.flatnonzero(new == pfmt[sel])
            new[same] = rng.choice(11, len(same), p=loc.phone_fmt)
        pfmt[sel] = new
    shown = np.flatnonzero(ent["has_phone"][rec] & ~f["phone_drop"])
    r = rec[shown]  # group rows by (country, format, length, first group, group size): one _numstr call per group
    key = (((c[shown] * 11 + pfmt[shown]) * 16 + ent["nsn"][r]) * 8 + ent["head"][r]) * 128 + ent["group"][r]
    uniques, inverse = np.unique(key, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniques) + 1))
    phone, num = np.full(len(rec), "", dtype=object), ent["phone"][r]
    for k, a, b in zip(uniques.tolist(), bounds[:-1], bounds[1:], strict=True):
        rows = order[a:b]
        country_fmt, nsn, head, group = k // (16 * 8 * 128), k // (8 * 128) % 16, k // 128 % 8, k % 128
        sizes = [head, *_split(nsn - head, group)]
        phone[shown[rows]] = _format_phones(LOCALES[country_fmt // 11], country_fmt % 11, num[rows], sizes)
    return phone


def _email_column(rng: np.random.Generator, ent: dict[str, Any], rec: np.ndarray, c: np.ndarray,
                  f: dict[str, np.ndarray]) -> np.ndarray:
    email = np.where(ent["has_email"][rec], ent["email"][rec], "")
    sel = np.flatnonzero(f["email_case"])
    email[sel] = np.where(rng.random(len(sel)) < 0.4, _map_unique(email[sel], str.upper),
                          _map_unique(email[sel], str.title))
    sel = np.flatnonzero(f["email_new"])  # another provider and address, unknown to everyone else
    er = rec[sel]
    local = _email_locals(rng, ent["first"][er], ent["last"][er], ent["birth"][er], TEMPLATES["new_email"])
    domain = np.empty(len(sel), dtype=object)
    for _ci, loc, s in _by_country(c[sel]):
        domain[s] = loc.mail.draw(rng, len(s))
    email[sel] = _unique_addresses(rng, local, domain, ent["known_emails"], check_all=True)
    email[f["email_drop"]] = ""
    return email


def _date_strings(days: np.ndarray, style: np.ndarray) -> np.ndarray:
    """ISO, DD/MM/YYYY or MM/DD/YYYY via lookup tables over the day range (one datetime_as_string call)."""
    lo = int(days.min())
    iso = np.datetime_as_string(np.arange(lo, int(days.max()) + 1).astype("datetime64[D]"), unit="D").astype("<U10")
    chars = np.concatenate([iso.view("<U1").reshape(-1, 10), np.full((len(iso), 1), "/")], axis=1)
    out = iso.astype(object)[days - lo]
    for name, order in (("dmy", [8, 9, 10, 5, 6, 10, 0, 1, 2, 3]), ("mdy", [5, 6, 10, 8, 9, 10, 0, 1, 2, 3])):
        table = np.ascontiguousarray(chars[:, order]).view("<U10").ravel().astype(object)
        sel = np.flatnonzero(style == name)
        out[sel] = table[days[sel] - lo]
    return out


def _birth_column(rng: np.random.Generator, ent: dict[str, Any], rec: np.ndarray, c: np.ndarray,
                  f: dict[str, np.ndarray]) -> np.ndarray:
    birth = ent["birth"][rec]
    sel = np.flatnonzero(f["birth_swap"])  # day/month transposed, only where that is still a valid date
    dates = birth[sel].astype("datetime64[D]")
    month_start = dates.astype("datetime64[M]")
    day, month = (dates - month_start).astype(np.int64) + 1, month_start.astype(np.int64) % 12 + 1
    year_start = dates.astype("datetime64[Y]").astype("datetime64[M]")
    swapped = ((year_start + (day - 1)).astype("datetime64[D]") + (month - 1)).astype(np.int64)
    can = (day <= 12) & (day != month)
    birth[sel[can]] = swapped[can]
    styles = np.array([loc.date_style for loc in LOCALES], dtype=object)[c]
    out = _date_strings(birth, np.where(ent["birth_local"][rec], styles, "iso"))
    out[(rng.random(len(rec)) < 0.12) | f["birth_missing"]] = ""
    out[sel[~can]] = ""
    return out


def _records(rng: np.random.Generator, ent: dict[str, Any], rec: np.ndarray,
             dup: np.ndarray) -> dict[str, np.ndarray]:
    """Output columns for records `rec` (entity index per row); `dup` marks the rows to corrupt."""
    n, c = len(rec), ent["country"][rec]
    f = _corruption_flags(rng, ent, rec, dup)
    first, last, street, city, postal, company = (ent[k][rec] for k in
                                                  ("first", "last", "street", "city", "postal", "company"))
    _corrupt_names(rng, f, c, first, last)
    cvar, country = ent["cvar"][rec], np.empty(n, dtype=object)
    for _ci, loc, sel in _by_country(c):
        abbr = sel[f["street_abbr"][sel]]
        street[abbr] = _abbreviated_streets(rng, loc, {k: ent[f"street_{k}"][rec[abbr]] for k in ("s", "t", "a", "n",
                                                                                                 "tpl")})
        other = sel[f["country"][sel]]  # written another way
        cvar[other] = (cvar[other] + rng.integers(1, len(loc.country.values), len(other))) % len(loc.country.values)
        country[sel] = loc.country.values[cvar[sel]]
    sel = np.flatnonzero(f["strip"])
    for arr in (first, last, street, city, company):
        arr[sel] = _map_unique(arr[sel], fold)
    sel = np.flatnonzero(f["postal"])  # Excel drops leading zeros; UK codes lose their space or case
    num, gb = sel[c[sel] != GB], sel[c[sel] == GB]
    postal[num] = _map_unique(postal[num], lambda code: code.lstrip("0"))
    nospace = rng.random(len(gb)) < 0.5
    postal[gb[nospace]] = _map_unique(postal[gb[nospace]], lambda code: code.replace(" ", ""))
    postal[gb[~nospace]] = _map_unique(postal[gb[~nospace]], str.lower)
    company[f["company_drop"]] = ""
    signup = np.where(f["signup"], REF_DAY - rng.integers(0, 6 * 365, n), ent["signup"][rec])
    opt_out = np.where(ent["opt_out"][rec], TEMPLATES["yes"].draw(rng, n), TEMPLATES["no"].draw(rng, n))
    return {"first_name": first, "last_name": last, "email": _email_column(rng, ent, rec, c, f),
            "phone": _phone_column(rng, ent, rec, c, f), "company": company, "street": street, "postal_code": postal,
            "city": city, "country": country, "birth_date": _birth_column(rng, ent, rec, c, f),
            "signup_date": _date_strings(signup, np.full(n, "iso")), "opt_out": opt_out}


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------


def generate(n: int, seed: int = 42, dup_rate: float = 0.3) -> tuple[pd.DataFrame, pd.Series]:
    """N shuffled customer rows (all str) and the true entity id of each row (same RangeIndex; CSV row = index + 1).

    ``df.attrs`` carries entities / households / shared_landline / common_name / cluster_sizes for reporting.
    """
    if n < 1 or not 0.0 <= dup_rate <= 1.0:
        raise ValueError("n must be >= 1 and dup_rate within [0, 1]")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived objects, no reference cycles: the cyclic GC only costs time here
    try:
        return _generate(n, seed, dup_rate)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(n: int, seed: int, dup_rate: float) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    sizes = _cluster_sizes(rng, n, dup_rate)
    e = len(sizes)
    ent, stats = _entities(rng, e)
    order = rng.permutation(n)  # records are built directly in shuffled order
    rec = np.repeat(np.arange(e), sizes)[order]
    dup = (np.arange(n) != np.repeat(np.cumsum(sizes) - sizes, sizes))[order]
    data = {"customer_id": _numstr(np.arange(1, n + 1), [max(7, len(str(n)))], prefix="C"),
            **_records(rng, ent, rec, dup)}
    df = pd.DataFrame(data, columns=list(COLUMNS), copy=False)  # no consolidation copy
    entity_ids = _numstr(rng.permutation(e) + 1, [max(7, len(str(e)))], prefix="E")  # ids carry no order information
    truth = pd.Series(entity_ids[rec], name="entity_id")
    df.attrs.update(entities=e, **stats, cluster_sizes={k: int(v) for k, v in enumerate(np.bincount(sizes)) if v})
    return df, truth


def _csv_cells(values: np.ndarray) -> np.ndarray:
    """Minimal CSV quoting of the cells that contain a delimiter, quote or line break."""
    values = values.copy()
    need = np.array([("," in v) or ('"' in v) or ("\n" in v) or ("\r" in v) for v in values.tolist()], dtype=bool)
    values[need] = [f'"{v.replace(chr(34), 2 * chr(34))}"' for v in values[need].tolist()]
    return values


def write_csv(df: pd.DataFrame, path: Path, chunk: int = 200_000) -> None:
    """Write an all-str frame, byte-identical to ``df.to_csv(path, index=False, lineterminator="\\n")`` but ~4x faster.

    Rows are joined by C-level ``str.join``; a row whose comma count is off (a value contains a comma), or that
    contains a quote or line break, is rebuilt with minimal quoting. Only those few rows are handled one by one.
    (Values with a bare carriage return are quoted here but not by pandas; the generator never emits one.)
    """
    cols, seps = [df[c].to_numpy(dtype=object) for c in df.columns], len(df.columns) - 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(_csv_cells(np.array(df.columns, dtype=object))) + "\n")
        for start in range(0, len(df), chunk):
            part = [c[start:start + chunk] for c in cols]
            lines = list(map(",".join, zip(*part, strict=True)))
            text = "\n".join(lines)
            bad = np.zeros(len(lines), dtype=bool)
            if text.count(",") != seps * len(lines):
                commas = np.fromiter(map(str.count, lines, itertools.repeat(",")), dtype=np.int64, count=len(lines))
                bad |= commas != seps
            for ch, expected in (('"', 0), ("\r", 0), ("\n", len(lines) - 1)):
                if text.count(ch) != expected:
                    bad |= np.fromiter(map(str.__contains__, lines, itertools.repeat(ch)), dtype=bool, count=len(lines))
            if bad.any():
                rows = np.flatnonzero(bad)
                fixed = [_csv_cells(c[rows]) for c in part]
                for i, line in zip(rows.tolist(), map(",".join, zip(*fixed, strict=True)), strict=True):
                    lines[i] = line
                text = "\n".join(lines)
            fh.write(text + "\n")


def truth_path(out: Path) -> Path:
    """OUT.csv -> OUT.truth.csv next to it."""
    return out.with_name(out.stem + ".truth.csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic messy customer list with ground truth.")
    parser.add_argument("n", type=int, help="number of data rows")
    parser.add_argument("out", type=Path, help="output CSV (truth goes to OUT.truth.csv)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dup-rate", type=float, default=0.3, help="share of entities with duplicate records")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    df, truth = generate(args.n, seed=args.seed, dup_rate=args.dup_rate)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(df, args.out)
    rows = np.arange(1, args.n + 1).astype(str).astype(object)
    write_csv(pd.DataFrame({"row": rows, "entity_id": truth}), truth_path(args.out))
    print(f"generate: {args.n} rows, {df.attrs['entities']} entities, {time.perf_counter() - start:.1f} s "
          f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

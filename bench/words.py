"""Word pools for the synthetic catalog: themes, title words, names, places and prose.

Written for this benchmark. Themes include every theme of ``data/thesaurus.txt`` so mood words
find films, and names carry accents so folding is exercised the way real catalogs exercise it.
"""

from __future__ import annotations

from bot.services import CANONICAL_SERVICES


def _pool(text: str) -> tuple[str, ...]:
    """One entry a comma-separated item (line breaks inside an item are spaces); no repeats."""
    items = (" ".join(item.split()) for item in text.split(","))
    return tuple(dict.fromkeys(item for item in items if item))


THEMES = _pool(
    """
    grief, loss, tearjerker, heartbreak, mourning, comedy, laugh, hilarious, witty, horror,
    terror, haunted, creepy, ghost, romance, love, uplifting, heartwarming, joy, hope, gentle,
    charming, robbery, con, thief, caper, heist, detective, noir, gangster, whodunit, puzzle,
    thriller, suspense, fight, chase, sport, running, track, team, coach, twist, surreal,
    strange, offbeat, astronaut, alien, future, children, parents, siblings, animation,
    cartoon, death, forgiveness, friends, buddy, companionship, musical, band, songs, singer,
    dance, soldier, battle, wartime, cowboy, frontier, outlaw, poker, casino, cooking, chef,
    restaurant, teenager, revenge, betrayal, loneliness, ambition, obsession, guilt, memory,
    identity, immigration, poverty, addiction, faith, survival, isolation, jealousy, courage,
    wilderness, ocean, desert, island, mountain, winter, summer, journalism, politics,
    corruption, prison, escape, painting, photography, poetry, theatre, cinema, ballet, jazz,
    punk, opera, chess, boxing, football, baseball, cycling, surfing, skating, climbing,
    swimming, hunting, farming, fishing, village, suburb, hospital, university, factory, ship,
    train, hotel, vampire, werewolf, zombie, witch, monster, robot, clone, virus, apocalypse,
    dystopia, mermaid, dragon, myth, folklore, legend, curse, prophecy, magic, dream,
    nightmare, insomnia, amnesia, madness, paranoia, conspiracy, espionage, spy, assassin,
    mafia, cartel, smuggling, kidnapping, ransom, hostage, siege, disaster, earthquake, flood,
    storm, volcano, marriage, divorce, wedding, funeral, birthday, christmas, vacation,
    reunion, pregnancy, adoption, orphan, grandmother, grandfather, fatherhood, motherhood,
    twins, neighbours, roommates, strangers, rivals, mentor, teacher, nurse, lawyer, priest,
    pilot, sailor, miner, waitress, inventor, scientist, detective, journalist, musician,
    painter, dancer, boxer, runner, gambler, forger, smuggler, hacker, inheritance, debt,
    bankruptcy, strike, protest, revolution, exile, refugee, border, homecoming, nostalgia,
    innocence, friendship, rivalry, loyalty, sacrifice, temptation, greed, pride, envy,
    kindness, generosity, tenderness, resilience, regret, redemption, ghosts, aliens, robots,
    heists, tears, laughter, whimsy, melancholy, absurdity, satire, parody, mockumentary,
    documentary, biography, western, musicals, noir, samurai, wuxia, anime, claymation,
    puppetry, silent, monochrome, widescreen, cult, midnight, slasher, folk, cosmic, gothic,
    heartland, bayou, prairie, tundra, jungle, rainforest, lighthouse, circus, carnival,
    orchestra, choir, marathon, triathlon, rowing, fencing, archery, wrestling, rugby,
    cricket, hockey, tennis, golf, bowling, billiards, darts, karaoke, bakery, vineyard,
    brewery, diner, laundromat, bookshop, library, museum, observatory, submarine, spaceship,
    timeline, multiverse, doppelganger, puppets, shapeshifter, poltergeist, exorcism, seance,
    cryptid, sasquatch, meteor, eclipse, blackout, heatwave, drought, avalanche, shipwreck,
    castaway, mutiny, pirates, treasure, expedition, pilgrimage, odyssey, quest, roadtrip,
    hitchhiker, nomad, drifter, runaway, fugitive, bounty, sheriff, deputy, ranch, rodeo,
    stampede
    """
)

ADJECTIVES = _pool(
    """
    quiet, tender, brutal, gentle, bittersweet, playful, eerie, luminous, restless, stubborn,
    fragile, fierce, wry, sly, earnest, dreamy, gritty, breezy, sombre, radiant, patient,
    unhurried, frantic, feverish, hushed, sunlit, rain-soaked, snowbound, dusty, neon, faded,
    crumbling, glittering, forgotten, hidden, lonely, crowded, reckless, careful, clumsy,
    graceful, awkward, charming, grumpy, cheerful, haunted, hopeful, weary, wistful, defiant,
    furious, shy, bold, strange, ordinary, peculiar, tiny, enormous, ancient, modern, rural,
    coastal, northern, southern, electric, velvet, golden, silver, crimson, pale, bright,
    dark, cold, warm, bitter, sweet, salty, smoky, wild, tame, honest, crooked, loyal, fickle,
    proud, humble, generous, greedy, curious, sleepy, wide-eyed, unlikely, improbable,
    irresistible, unforgettable, understated, overlooked, little-known, handmade, lo-fi,
    lavish, spare, tight, sprawling, intimate, epic, melancholy, absurd, deadpan, dry,
    sharp, blunt, slow-burning, unpredictable, heartfelt, sincere, cynical, wholesome, savage
    """
)

NOUNS = _pool(
    """
    house, river, road, garden, kitchen, letter, photograph, suitcase, bicycle, piano, radio,
    telephone, window, door, staircase, rooftop, harbour, bridge, tunnel, station, platform,
    market, bakery, diner, motel, cabin, farmhouse, lighthouse, orchard, vineyard, field,
    forest, lake, shore, cliff, valley, canyon, glacier, meadow, swamp, attic, basement,
    cellar, corridor, courtyard, balcony, alley, boulevard, square, fountain, statue, chapel,
    cathedral, gym, stadium, racetrack, pool, rink, court, ring, arena, locker, trophy, medal,
    map, compass, lantern, candle, mirror, clock, watch, key, lock, ring, necklace, coat, hat,
    scarf, boots, umbrella, notebook, diary, typewriter, camera, tape, record, guitar, violin,
    drum, trumpet, song, melody, chorus, verse, poem, novel, script, painting, canvas, sketch,
    mural, sculpture, puppet, mask, costume, wig, crown, sword, pistol, rifle, bullet, badge,
    uniform, flag, horse, dog, cat, fox, wolf, bear, owl, crow, whale, shark, eel, octopus,
    moth, bee, orchid, rose, cactus, oak, willow, pine, storm, tide, wave, fog, frost, snow,
    rain, thunder, lightning, ember, ash, smoke, dust, sand, stone, salt, honey, bread, soup,
    noodles, dumplings, pie, cake, coffee, tea, wine, whisky, cigarette, match, bet, card,
    dice, coin, debt, inheritance, secret, lie, promise, rumour, confession, alibi, ransom,
    ticket, passport, border, exile, island, planet, moon, star, comet, satellite, rocket,
    signal, frequency, broadcast, static, echo, shadow, ghost, stranger, neighbour, brother,
    sister, mother, father, daughter, son, uncle, aunt, cousin, grandmother, grandfather,
    widow, bride, groom, teacher, student, coach, captain, sheriff, doctor, nurse, priest,
    thief, forger, smuggler, detective, reporter, lawyer, judge, mayor, waitress, chef,
    baker, butcher, barber, tailor, miner, fisherman, farmer, sailor, pilot, driver, courier,
    clerk, janitor, magician, clown, acrobat, boxer, runner, swimmer, climber, dancer,
    singer, drummer, painter, poet, inventor, astronaut, robot, android, monster, vampire,
    witch, mermaid, giant, dragon, king, queen, prince, princess, knight, outlaw, cowboy
    """
)

VERBS = _pool(
    """
    finds, loses, hides, steals, returns, chases, follows, fixes, breaks, builds, burns,
    buries, digs up, paints, sings, dances, runs, swims, climbs, drives, flies, sails, cooks,
    bakes, writes, reads, forgets, remembers, forgives, betrays, rescues, abandons, marries,
    divorces, inherits, sells, buys, wins, gambles away, trains, teaches, learns, lies,
    confesses, investigates, uncovers, smuggles, forges, haunts, follows, befriends,
    challenges, outwits, defends, escapes, returns to, leaves, visits, tracks down, waits for
    """
)

ADVERBS = _pool(
    """
    quietly, slowly, suddenly, gently, stubbornly, desperately, secretly, cheerfully, badly,
    finally, reluctantly, gradually, fiercely, tenderly, awkwardly, wildly, patiently,
    recklessly, carefully, absurdly, beautifully, strangely, honestly, barely, nearly
    """
)

FIRST_NAMES = _pool(
    """
    Ada, Agnès, Aiko, Alba, Alejandro, Aleksander, Alma, Amara, Ambroise, Amélie, Anaïs, Andrés,
    Anja, Ansel, Arturo, Astrid, Aurélien, Ayşe, Bastien, Beatriz, Benedikt, Bjørn, Björk,
    Blaise, Bogdan, Brigitte, Bruno, Camille, Carmen, Cécile, Céline, Chiara, Chloé, Cillian,
    Clémence, Consuelo, Cosima, Dagny, Dalia, Damián, Dario, Delphine, Desmond, Dmitri, Dolores,
    Dorothea, Édouard, Efua, Eliška, Elodie, Émile, Enzo, Esmé, Esteban, Eun-ji, Eva, Fabián,
    Fatima, Félix, Finn, Florian, Francesca, François, Frida, Gaël, Gemma, Gérard, Giulia,
    Grete, Guillermo, Gunnar, Hamid, Hana, Hannelore, Héctor, Hélène, Hiro, Hugo, Idris, Ilse,
    Imogen, Inés, Ingrid, Iñaki, Irène, Isabel, Ivan, Jakub, Jamal, Jana, Jérôme, Jiří,
    Joaquín, Johanna, José, Józef, Julián, Juliette, Kalani, Kasia, Kenji, Kirsten, Klaus,
    Lærke, Laila, Lars, Léa, Leandro, Léon, Liesl, Linnéa, Lorenzo, Lucía, Ludovic, Luz,
    Maëlle, Magda, Malik, Manon, Marisol, Matías, Mei, Mercè, Miguel, Mikael, Milena, Mireille,
    Nadia, Naoki, Nathalie, Nils, Noémie, Oksana, Olek, Omar, Oona, Pablo, Paz, Pénélope,
    Petra, Philippe, Pilar, Priya, Quentin, Rafael, Ramón, Raphaël, Renée, Rocío, Rosalind,
    Rúben, Ruth, Sabine, Saoirse, Séverine, Siddharth, Sigrún, Simón, Siobhán, Søren, Sofía,
    Solveig, Stéphane, Sven, Taika, Tamsin, Teodor, Thérèse, Tomás, Ulla, Valentín, Vera,
    Véronique, Viktor, Wanjiru, Wiebke, Xavier, Yara, Yusuf, Zoë, Zofia, Zygmunt, Bea, Cal,
    Dot, Eli, Gus, Hal, Ike, Jo, Kit, Lou, Max, Ned, Pip, Ray, Sid, Tess, Vic, Wes
    """
)

SURNAMES = _pool(
    """
    Abernathy, Acosta, Ågren, Alvarez, Andersen, Arroyo, Bachmann, Baptiste, Barros, Beaumont,
    Becker, Bellamy, Benoît, Bergström, Blanchard, Bøe, Borowski, Brennan, Brodeur, Castañeda,
    Cavanagh, Chevalier, Cortázar, Costa, Czerny, Dąbrowski, Dahl, Delacroix, Desjardins,
    Dimitrov, Donnelly, Dubois, Durand, Eklund, Esposito, Fagerlund, Falk, Ferreira,
    Fitzgerald, Fontaine, Fournier, Gallagher, García, Gauthier, Geller, Gómez, Grünewald,
    Gutiérrez, Halvorsen, Haraldsson, Hartmann, Hernández, Holm, Horvat, Ibáñez, Ishikawa,
    Jankowski, Jiménez, Johansson, Kaczmarek, Kato, Kavanagh, Keller, Kovačić, Kowalczyk,
    Krüger, Lambert, Larsen, Laurent, Lefèvre, Lindqvist, López, Lund, Machado, Madsen,
    Marchetti, Marín, Mathieu, McAllister, Meunier, Moreau, Morales, Müller, Nakamura, Navarro,
    Nieminen, Nowak, Núñez, O'Connell, Okafor, Olsen, Ortega, Østergaard, Pacheco, Pereira,
    Petrov, Pinheiro, Quintero, Ramírez, Rasmussen, Renard, Ribeiro, Rinaldi, Rousseau, Ruiz,
    Sá, Sánchez, Schäfer, Schmidt, Sørensen, Suárez, Svensson, Takahashi, Tanaka, Thibault,
    Torres, Tremblay, Ulrich, Valdés, Vasquez, Vidal, Vogel, Walsh, Weiß, Wójcik, Yamamoto,
    Zamora, Zielinski, Żukowski
    """
)

PLACES = _pool(
    """
    Lisbon, Marseille, Reykjavík, Kraków, Montréal, Valparaíso, Oaxaca, Tromsø, Göteborg,
    Düsseldorf, Zürich, Córdoba, Cádiz, Nîmes, Besançon, Brno, Łódź, Ljubljana, Trieste,
    Palermo, Naples, Bergen, Aarhus, Galway, Cork, Dundee, Cardiff, Leeds, Duluth, Tucson,
    Memphis, Baton Rouge, Boise, Fresno, Tulsa, Halifax, Winnipeg, Yukon, Patagonia,
    Tasmania, Hokkaido, Osaka, Busan, Manila, Hanoi, Mumbai, Lagos, Nairobi, Accra, Dakar,
    Tangier, Tbilisi, Odessa, Riga, Tallinn, Vilnius, Sarajevo, Thessaloniki, Crete, Sicily,
    Corsica, Brittany, the Highlands, the Outback, the Mojave, the Catskills, the Ozarks,
    the Appalachians, the Riviera, the Camargue, the Algarve, the Faroe Islands, Iceland,
    Lapland, a fishing village, a mining town, a border town, a seaside resort, a ski
    resort, a trailer park, a high-rise estate, a boarding school, a monastery, a ferry, a
    night train, a lighthouse, an oil rig, a research station, a space station, a submarine
    """
)

SERVICES = CANONICAL_SERVICES  # the names the parser knows, so every one round-trips

KINDS = _pool(
    """
    film, story, drama, comedy, thriller, tale, romance, character study, ensemble piece,
    fable, mystery, adventure, satire, melodrama, road movie, chamber piece, documentary
    """
)

TITLE_WORDS = _pool(
    """
    summer, winter, autumn, spring, night, day, morning, midnight, dawn, dusk, moon, sun,
    star, stars, sky, sea, river, lake, island, mountain, valley, road, house, home, room,
    garden, city, town, village, street, bridge, station, harbour, shore, desert, forest,
    field, storm, rain, snow, fire, ice, wind, smoke, ashes, dust, salt, honey, blood, bone,
    glass, iron, silver, gold, paper, stone, velvet, silk, shadow, shadows, light, lights,
    echo, echoes, ghost, ghosts, dream, dreams, heart, hearts, song, songs, dance, waltz,
    tango, blues, ballad, lullaby, letter, letters, promise, secret, secrets, lie, lies,
    truth, memory, memories, girl, boy, man, woman, king, queen, prince, thief, thieves,
    stranger, strangers, brother, brothers, sister, sisters, daughter, son, father, mother,
    widow, bride, orphan, soldier, sailor, hunter, runner, dancer, singer, painter, poet,
    doctor, sheriff, outlaw, rider, riders, wolf, wolves, fox, crow, crows, horse, horses,
    whale, bird, birds, butterfly, moth, rose, roses, lily, orchid, apple, orange, lemon,
    cherry, peach, coffee, wine, whisky, bread, cake, kitchen, diner, motel, hotel, circus,
    carnival, cinema, theatre, radio, telephone, piano, violin, guitar, drum, clock, mirror,
    window, door, key, map, compass, lantern, train, ship, boat, car, bicycle, rocket,
    planet, comet, signal, static, frequency, last, first, little, big, long, short, lost,
    found, broken, hidden, silent, quiet, loud, wild, sweet, bitter, cold, warm, dark,
    bright, red, blue, green, black, white, yellow, grey, golden, crimson, pale, empty, full,
    new, old, young, forgotten, endless, small, great, final, secret, electric, neon, lonely,
    holy, wicked, crooked, gentle, brave, burning, falling, rising, running, sleeping,
    dreaming, dancing, singing, waiting, leaving, coming, going, hunting, drowning, flying
    """
)

FOREIGN_TITLES = _pool(
    """
    Le Café des Étoiles, La Mémoire de l'Eau, Les Enfants du Marché, L'Été Dernier, Après
    la Pluie, Déjà Vu, La Forêt Noire, Le Dernier Métro de Nuit, Rêves d'Hiver, Être et
    Paraître, El Año del Dragón, Días de Fútbol, La Niña del Faro, Corazón de Piedra, Mañana
    Será Otro Día, Canción de Cuna, Los Olvidados del Sur, El Último Tren, Noche de Brujas,
    A Casa Amarela, Saudade de Lisboa, Coração Selvagem, O Pescador, Die Stille Stunde,
    Über den Wolken, Das Weiße Haus am See, Märchen vom Glück, Grüße aus Köln, Straße der
    Träume, Sånger från Norr, Ödemark, Smörgåsbord, Fjärilen, Näckrosen, Søndag i Skagen,
    Lyset over Fjorden, Ærlige Løgne, Ísland í Vetur, Kaffihús, Zła Krew, Łąka, Dziewczyna z
    Gdańska, Cesta Domů, Žena na Mostě, Smrt v Ráji, Göç Yolu, Kış Uykusu, Çay Bahçesi,
    Şeker Portakalı, Nuit Blanche, Café Noir, Cafe Noir, Amor Fou, Amour Fou, Señorita,
    Senorita, Fiancée, Fiancee, Niño, Nino, Garçon, Garcon, Résumé, Resume, Naïve, Naive
    """
)

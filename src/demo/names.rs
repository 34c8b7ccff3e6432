//! Names, places and streets for synthetic demo data. Invented people only.

/// Common Italian surnames.
pub const SURNAMES: &[&str] = &[
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
    "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
    "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
    "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
    "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone", "Giuliani",
    "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore",
    "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori",
    "Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Damico", "Negri",
    "Brambilla", "Colombi", "Crippa", "Mauri", "Galbiati", "Radaelli", "Pozzi", "Longoni", "Bonfanti", "Corti",
];

/// Italian male first names.
pub const MALE: &[&str] = &[
    "Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Angelo", "Vincenzo", "Pietro", "Salvatore",
    "Carlo", "Franco", "Domenico", "Bruno", "Paolo", "Michele", "Giorgio", "Aldo", "Sergio", "Luciano",
    "Marco", "Andrea", "Luca", "Alessandro", "Matteo", "Lorenzo", "Davide", "Simone", "Federico", "Riccardo",
    "Stefano", "Roberto", "Massimo", "Fabio", "Claudio", "Daniele", "Emanuele", "Gabriele", "Tommaso", "Leonardo",
    "Niccolò", "Edoardo", "Filippo", "Jacopo", "Diego", "Nicola", "Enrico", "Alberto", "Renato", "Gianni",
];

/// Italian female first names.
pub const FEMALE: &[&str] = &[
    "Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela", "Caterina",
    "Francesca", "Antonietta", "Carla", "Elena", "Paola", "Laura", "Franca", "Rita", "Luisa", "Silvana",
    "Giulia", "Chiara", "Sara", "Martina", "Valentina", "Alessia", "Federica", "Elisa", "Silvia", "Sofia",
    "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Beatrice", "Ilaria", "Roberta", "Monica", "Barbara",
    "Cristina", "Daniela", "Simona", "Patrizia", "Manuela", "Marta", "Noemi", "Irene", "Camilla", "Greta",
];

/// Foreign origins: (country, citizenship, cadastral code, surnames, male names, female names).
pub const FOREIGN: &[(&str, &str, &str, &[&str], &[&str], &[&str])] = &[
    ("Romania", "rumena", "Z129", &["Popescu", "Ionescu", "Stan", "Dumitru", "Constantin"], &["Andrei", "Mihai", "Ion", "Gheorghe"], &["Elena", "Ioana", "Mihaela", "Andreea"]),
    ("Marocco", "marocchina", "Z330", &["El Idrissi", "Benali", "Alaoui", "Amrani", "Bennani"], &["Mohamed", "Youssef", "Rachid", "Hamza"], &["Fatima", "Khadija", "Salma", "Nadia"]),
    ("Egitto", "egiziana", "Z336", &["Hassan", "Mahmoud", "Ibrahim", "Abdelaziz", "Farouk"], &["Ahmed", "Mostafa", "Karim", "Omar"], &["Mariam", "Nour", "Aya", "Heba"]),
    ("Perù", "peruviana", "Z611", &["Quispe", "Flores", "Huaman", "Mamani", "Rojas"], &["José", "Luis", "Carlos", "Jorge"], &["Rosa", "Carmen", "María", "Juana"]),
    ("Filippine", "filippina", "Z216", &["Santos", "Reyes", "Cruz", "Bautista", "Garcia"], &["Jose", "Mark", "John", "Rommel"], &["Maricel", "Jocelyn", "Rowena", "Grace"]),
    ("Ucraina", "ucraina", "Z138", &["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko"], &["Oleksandr", "Andriy", "Serhiy", "Dmytro"], &["Olena", "Natalia", "Iryna", "Oksana"]),
    ("Cina", "cinese", "Z210", &["Wang", "Li", "Zhang", "Liu", "Chen"], &["Wei", "Jun", "Hao", "Lei"], &["Mei", "Xiu", "Ying", "Lan"]),
    ("Senegal", "senegalese", "Z343", &["Diop", "Ndiaye", "Fall", "Sow", "Diallo"], &["Mamadou", "Ousmane", "Cheikh", "Ibrahima"], &["Awa", "Fatou", "Aminata", "Mariama"]),
    ("Albania", "albanese", "Z100", &["Hoxha", "Shehu", "Dervishi", "Leka", "Kola"], &["Arben", "Ermal", "Gentian", "Besnik"], &["Elira", "Anila", "Blerina", "Ornela"]),
    ("Ecuador", "ecuadoriana", "Z605", &["Vera", "Zambrano", "Mendoza", "Cedeño", "Castro"], &["Diego", "Andrés", "Fernando", "Christian"], &["Gabriela", "Verónica", "Paola", "Diana"]),
    ("Sri Lanka", "srilankese", "Z209", &["Perera", "Fernando", "Silva", "Jayasinghe", "Kumara"], &["Nuwan", "Chaminda", "Ruwan", "Kasun"], &["Dilani", "Nadeesha", "Chamari", "Sanduni"]),
    ("Bangladesh", "bengalese", "Z249", &["Rahman", "Hossain", "Ahmed", "Islam", "Uddin"], &["Mohammad", "Abdul", "Rafiq", "Kamal"], &["Nasrin", "Shirin", "Rokeya", "Taslima"]),
];

/// Italian birthplaces: (town, cadastral code).
pub const BIRTHPLACES: &[(&str, &str)] = &[
    ("Milano", "F205"), ("Milano", "F205"), ("Milano", "F205"), ("Milano", "F205"), ("Napoli", "F839"),
    ("Palermo", "G273"), ("Roma", "H501"), ("Bari", "A662"), ("Torino", "L219"), ("Catania", "C351"),
    ("Bergamo", "A794"), ("Brescia", "B157"), ("Monza", "F704"), ("Sesto San Giovanni", "I690"),
    ("Foggia", "D643"), ("Reggio di Calabria", "H224"), ("Cinisello Balsamo", "C707"), ("Lecce", "E506"),
];

/// Milan streets with their municipio.
pub const STREETS: &[(&str, u8)] = &[
    ("Via Ornato", 9), ("Via Rizzoli", 2), ("Viale Monza", 2), ("Via Padova", 2), ("Via Palmanova", 2),
    ("Viale Fulvio Testi", 9), ("Via Val di Ledro", 9), ("Via Bovisasca", 9), ("Via Cialdini", 9), ("Via Hermada", 9),
    ("Via Giambellino", 6), ("Via Lorenteggio", 6), ("Via Inganni", 6), ("Via dei Missaglia", 5), ("Via Ripamonti", 5),
    ("Corso Lodi", 4), ("Via Mecenate", 4), ("Viale Molise", 4), ("Via Quarto Oggiaro", 8), ("Via Mac Mahon", 8),
    ("Via Novara", 7), ("Via Harar", 7), ("Via Paolo Sarpi", 1), ("Corso di Porta Ticinese", 1), ("Via Celoria", 3),
    ("Via Pacini", 3), ("Viale Zara", 9), ("Via Imbonati", 9), ("Via Gallarate", 8), ("Via Lampugnano", 8),
];

/// Host organisations for internships.
pub const HOSTS: &[&str] = &[
    "Cascina — orto sociale", "Cooperativa ristorazione Il Mestolo", "Biblioteca di quartiere Affori",
    "Magazzino logistico Nord", "Lavanderia industriale Bovisa", "Supermercato di Niguarda",
    "Falegnameria sociale", "Associazione manutenzione del verde", "Bar del centro civico", "Ciclofficina popolare",
];

/// Schools for school-support projects.
pub const SCHOOLS: &[&str] = &[
    "IC Rizzoli — primaria", "IC Rizzoli — secondaria di primo grado", "IC Cardarelli", "IC Console Marcello",
    "IC Sandro Pertini", "IC Trilussa",
];

/// Cultural walks.
pub const WALKS: &[&str] = &[
    "Brera e la Pinacoteca", "Il Duomo e le sue terrazze", "Navigli e Darsena", "Cimitero Monumentale",
    "Villa Reale di Monza", "Parco Nord e la Breda", "Isola e Bosco Verticale", "Castello Sforzesco",
    "Sant'Ambrogio", "Le case di ringhiera", "Abbazia di Chiaravalle", "Villa Necchi Campiglio",
];

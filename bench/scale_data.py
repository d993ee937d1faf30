"""Names and places for the volume generator (``bench/scale.py``)."""


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = _words(
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
    "LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE "
    "ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER "
    "FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU "
    "GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN "
    "BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE "
    "RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
    "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ "
    "GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN"
)
FIRST_F = _words(
    "Marie Camille Léa Manon Chloé Emma Inès Sarah Julie Laura Pauline Lucie Clara Anaïs "
    "Mathilde Céline Sophie Nathalie Isabelle Sandrine Aurélie Élodie Claire Amandine"
)
FIRST_M = _words(
    "Lucas Hugo Thomas Nathan Louis Jules Théo Maxime Antoine Nicolas Julien Kevin Alexandre "
    "Romain Florian Quentin Mathieu Pierre Vincent Sébastien Olivier Guillaume Arnaud Yann"
)
COMPANY_WORDS = _words(
    "Mécanique Usinage Métallurgie Forge Fonderie Chaudronnerie Aéro Découpe Soudure Outillage "
    "Précision Composites Électronique Hydraulique Robotique Tôlerie Moules Traitements"
)
CITIES = _words(
    "Lyon Lille Nantes Rennes Toulouse Bordeaux Grenoble Dijon Reims Rouen Metz Nancy Tours "
    "Orléans Limoges Clermont-Ferrand Besançon Amiens Caen Brest Mulhouse Annecy Valence Pau"
)

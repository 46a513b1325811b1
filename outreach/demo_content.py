"""Demo event titles and description in every declared language (machine-assisted for the
languages added in issue 10, awaiting review by native speakers). "youth-soccer" is left in
English, Spanish and Nepali only, so the demo shows how a missing translation looks."""

EVENT_TITLES = {
    "kyr-latino": {
        "en": "Know Your Rights: talking with police",
        "es": "Conozca sus derechos: cómo hablar con la policía",
        "ar": "اعرف حقوقك: كيف تتحدث مع الشرطة",
        "ne": "आफ्ना अधिकार जान्नुहोस्: प्रहरीसँग कुराकानी",
        "fr": "Connaître vos droits\xa0: parler avec la police",
        "sw": "Jua Haki Zako: kuzungumza na polisi",
        "so": "Ogow Xuquuqdaada: la hadalka booliska",
        "vi": "Biết quyền của quý vị: nói chuyện với cảnh sát",
        "zh-hans": "了解您的权利：与警察交谈",
        "pt-br": "Conheça seus direitos: como falar com a polícia",
        "ht": "Konnen dwa ou: pale ak lapolis",
        "ur": "اپنے حقوق جانیں: پولیس سے بات چیت",
        "fa": "حقوق خود را بدانید: گفتگو با پلیس",
        "bn": "আপনার অধিকার জানুন: পুলিশের সাথে কথা বলা",
        "my": "သင့်အခွင့်အရေးများကို သိရှိပါ- ရဲနှင့် စကားပြောဆိုခြင်း",
        "sq": "Njihni të drejtat tuaja: si të flisni me policinë",
    },
    "base-northview": {
        "en": "Community base meeting at Masjid Al-Noor",
        "es": "Reunión de base comunitaria en la Mezquita Al-Noor",
        "ar": "اجتماع القاعدة المجتمعية في مسجد النور",
        "ne": "मस्जिद अल-नूरमा सामुदायिक आधार-स्थल बैठक",
        "fr": "Réunion communautaire à la mosquée Masjid Al-Noor",
        "sw": "Mkutano wa msingi wa jamii katika Masjid Al-Noor",
        "so": "Kulanka saldhigga bulshada ee Masjid Al-Noor",
        "vi": "Buổi họp cộng đồng tại điểm cơ sở Masjid Al-Noor",
        "zh-hans": "在努尔清真寺（Masjid Al-Noor）举行的社区据点会议",
        "pt-br": "Reunião de base comunitária na Masjid Al-Noor",
        "ht": "Reyinyon kominotè nan moske Masjid Al-Noor",
        "ur": "مسجد النور میں کمیونٹی کی بنیادی میٹنگ",
        "fa": "جلسهٔ پایه\u200cای جامعه در مسجد النور",
        "bn": "মসজিদ আল-নূরে সম্প্রদায়ের নিয়মিত সভা",
        "my": "မစ်ဂျစ် အယ်လ်-နူရ် ဗလီတွင် အသိုင်းအဝိုင်း ပုံမှန် အစည်းအဝေး",
        "sq": "Takim bazë i komunitetit në Masjid Al-Noor",
    },
    "youth-soccer": {
        "en": "Youth soccer league: season opener",
        "es": "Liga juvenil de fútbol: inicio de temporada",
        "ne": "युवा फुटबल लिग: सिजनको उद्घाटन खेल",
    },
    "forum-scams": {
        "en": "Forum: phone scams that target newcomers",
        "es": "Foro: estafas telefónicas contra recién llegados",
        "ar": "منتدى: الاحتيال الهاتفي الذي يستهدف القادمين الجدد",
        "ne": "छलफल सभा: नयाँ आउनेहरूलाई लक्षित गर्ने फोन ठगी",
        "fr": "Forum\xa0: les arnaques téléphoniques qui visent les nouveaux arrivants",
        "sw": "Jukwaa: utapeli wa simu unaowalenga wageni wapya",
        "so": "Fadhi wada-hadal: khiyaanada taleefanka ee lagu beegsado dadka cusub",
        "vi": "Diễn đàn: lừa đảo qua điện thoại nhắm vào người mới đến",
        "zh-hans": "论坛：针对新移民的电话诈骗",
        "pt-br": "Fórum: golpes por telefone contra recém-chegados",
        "ht": "Fowòm: eskwokri pa telefòn ki vize moun ki fèk rive",
        "ur": "فورم: نئے آنے والوں کو نشانہ بنانے والے فون فراڈ",
        "fa": "گردهمایی: کلاهبرداری\u200cهای تلفنی که تازه\u200cواردان را هدف می\u200cگیرند",
        "bn": "ফোরাম: নতুন আসা মানুষদের লক্ষ্য করে ফোনে প্রতারণা",
        "my": "ဖိုရမ်- ရောက်ရှိလာသူအသစ်များကို ပစ်မှတ်ထားသော ဖုန်းလိမ်လည်မှုများ",
        "sq": "Forum: mashtrimet me telefon që synojnë të ardhurit e rinj",
    },
    "demo-day": {
        "en": "Meet the police: a day at the training academy",
        "es": "Conozca a la policía: un día en la academia",
        "ar": "تعرّف على الشرطة: يوم في أكاديمية التدريب",
        "ne": "प्रहरीलाई भेट्नुहोस्: तालिम प्रतिष्ठानमा एक दिन",
        "fr": "Rencontrez la police\xa0: une journée à l'école de police",
        "sw": "Kutana na polisi: siku moja katika chuo cha mafunzo",
        "so": "La kulan booliska: maalin ku qaado akadeemiyada tababarka",
        "vi": "Gặp gỡ cảnh sát: một ngày tại học viện huấn luyện",
        "zh-hans": "认识警察：警察训练学院一日游",
        "pt-br": "Conheça a polícia: um dia na academia de formação",
        "ht": "Vin rankontre lapolis: yon jounen nan akademi fòmasyon an",
        "ur": "پولیس سے ملیں: تربیتی اکیڈمی میں ایک دن",
        "fa": "با پلیس آشنا شوید: یک روز در مرکز آموزش پلیس",
        "bn": "পুলিশের সাথে পরিচিত হোন: প্রশিক্ষণ একাডেমিতে একটি দিন",
        "my": "ရဲများနှင့် တွေ့ဆုံပါ- ရဲသင်တန်းကျောင်းတွင် တစ်ရက်",
        "sq": "Njihuni me policinë: një ditë në akademinë e trajnimit",
    },
}

DESCRIPTIONS = {
    "en": "Ask questions, meet your liaison officers and hear what the police are doing in your neighbourhood. "
    "Free, open to everyone; children welcome.",
    "es": "Haga preguntas, conozca a sus oficiales de enlace y escuche lo que hace la policía en su barrio. "
    "Gratis y abierto a todos; los niños son bienvenidos.",
    "ar": "اطرح أسئلتك، وتعرّف على ضباط الاتصال، واستمع إلى ما تقوم به الشرطة في حيّك. مجاني ومفتوح للجميع؛ "
    "الأطفال مرحَّب بهم.",
    "ne": "प्रश्न सोध्नुहोस्, आफ्ना सम्पर्क अधिकारीहरूलाई भेट्नुहोस् र तपाईंको टोलमा प्रहरीले के गरिरहेको छ "
    "भनेर सुन्नुहोस्। निःशुल्क, सबैका लागि खुला; बालबालिकालाई स्वागत छ।",
    "fr": "Posez vos questions, rencontrez vos agents de liaison et découvrez ce que fait la police dans votre "
    "quartier. Gratuit et ouvert à tous\xa0; les enfants sont les bienvenus.",
    "sw": "Uliza maswali, kutana na maafisa wako wa uhusiano na usikie polisi wanachofanya katika mtaa wako. Ni "
    "bure, kila mtu anakaribishwa; watoto wanakaribishwa pia.",
    "so": "Weydii su'aalo, la kulan saraakiishaada xiriirka oo maqal waxa booliisku ka qabanayo xaafaddaada. "
    "Waa bilaash, qof kasta waa u furan yahay; carruurtuna waa soo dhaweyn yihiin.",
    "vi": "Hãy đặt câu hỏi, gặp gỡ các cán bộ liên lạc của quý vị và nghe cảnh sát đang làm gì trong khu phố "
    "của quý vị. Miễn phí, mở cửa cho tất cả mọi người; trẻ em cũng được chào đón.",
    "zh-hans": "您可以提问、认识您的联络员，并了解警察在您的街区做了哪些工作。免费，欢迎所有人参加；欢迎带孩子来。",
    "pt-br": "Tire suas dúvidas, conheça os agentes de ligação e saiba o que a polícia está fazendo no seu "
    "bairro. Gratuito e aberto a todos; crianças são bem-vindas.",
    "ht": "Poze kesyon, rankontre ofisye lyezon ou yo epi tande sa lapolis ap fè nan katye ou. Gratis, ouvè pou "
    "tout moun; timoun yo byenveni.",
    "ur": "سوال پوچھیں، اپنے رابطہ افسران سے ملیں اور سنیں کہ پولیس آپ کے محلے میں کیا کر رہی ہے۔ مفت، سب کے "
    "لیے کھلا؛ بچے بھی خوش آمدید۔",
    "fa": "پرسش\u200cهای خود را بپرسید، با افسران رابط خود آشنا شوید و بشنوید پلیس در محلهٔ شما چه می\u200cکند. "
    "رایگان و برای همه آزاد؛ کودکان هم خوش آمدند.",
    "bn": "প্রশ্ন করুন, আপনার লিয়াজোঁ অফিসারদের সাথে পরিচিত হোন এবং আপনার এলাকায় পুলিশ কী করছে তা শুনুন। "
    "বিনামূল্যে, সবার জন্য উন্মুক্ত; শিশুদের স্বাগত।",
    "my": "မေးခွန်းများ မေးပါ၊ သင့်ဆက်သွယ်ရေးအရာရှိများနှင့် တွေ့ဆုံပါ၊ သင့်ရပ်ကွက်တွင် ရဲတပ်ဖွဲ့က ဘာတွေ "
    "လုပ်ဆောင်နေသလဲဆိုတာ နားထောင်ပါ။ အခမဲ့ ဖြစ်ပြီး လူတိုင်း တက်ရောက်နိုင်ပါတယ်၊ ကလေးများကိုလည်း "
    "ကြိုဆိုပါတယ်။",
    "sq": "Bëni pyetje, njihuni me oficerët tuaj ndërlidhës dhe dëgjoni se çfarë po bën policia në lagjen tuaj. "
    "Falas, e hapur për të gjithë; fëmijët janë të mirëpritur.",
}

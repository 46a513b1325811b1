"""Category names in every declared language (issue 10). Fills only names still empty, so a
coordinator's own wording is kept. Machine-assisted for the languages added in issue 10,
awaiting review by native speakers (README, "Languages")."""

from django.db import migrations

CATEGORY_NAMES = {
    "safety": {
        "en": "A safety concern in my neighbourhood",
        "es": "Un problema de seguridad en mi barrio",
        "ar": "مشكلة تتعلق بالسلامة في حيّي",
        "ne": "मेरो टोलमा सुरक्षासम्बन्धी चिन्ता",
        "fr": "Un problème de sécurité dans mon quartier",
        "sw": "Jambo la usalama katika mtaa wangu",
        "so": "Walaac badbaado oo xaafaddayda ah",
        "vi": "Một mối lo ngại về an toàn trong khu phố của tôi",
        "zh-hans": "我所在街区的安全问题",
        "pt-br": "Um problema de segurança no meu bairro",
        "ht": "Yon pwoblèm sekirite nan katye mwen",
        "ur": "میرے محلے میں حفاظت سے متعلق تشویش",
        "fa": "یک نگرانی ایمنی در محلهٔ من",
        "bn": "আমার এলাকায় নিরাপত্তা নিয়ে একটি উদ্বেগ",
        "my": "ကျွန်ုပ်၏ ရပ်ကွက်ရှိ လုံခြုံရေးဆိုင်ရာ စိုးရိမ်ချက်",
        "sq": "Një shqetësim për sigurinë në lagjen time",
    },
    "police-service": {
        "en": "A problem with police service",
        "es": "Un problema con el servicio de la policía",
        "ar": "مشكلة في خدمة الشرطة",
        "ne": "प्रहरी सेवासम्बन्धी समस्या",
        "fr": "Un problème avec le service de police",
        "sw": "Tatizo kuhusu huduma ya polisi",
        "so": "Dhibaato ku saabsan adeegga booliska",
        "vi": "Một vấn đề với dịch vụ của cảnh sát",
        "zh-hans": "警察服务方面的问题",
        "pt-br": "Um problema com o atendimento da polícia",
        "ht": "Yon pwoblèm ak sèvis lapolis",
        "ur": "پولیس کی خدمت میں کوئی مسئلہ",
        "fa": "مشکلی در خدمات پلیس",
        "bn": "পুলিশের সেবা নিয়ে একটি সমস্যা",
        "my": "ရဲဝန်ဆောင်မှုနှင့် ပတ်သက်သော ပြဿနာ",
        "sq": "Një problem me shërbimin e policisë",
    },
    "compliment": {
        "en": "A compliment",
        "es": "Un elogio",
        "ar": "إشادة أو شكر",
        "ne": "प्रशंसा",
        "fr": "Un compliment",
        "sw": "Pongezi",
        "so": "Ammaan",
        "vi": "Một lời khen",
        "zh-hans": "表扬",
        "pt-br": "Um elogio",
        "ht": "Yon konpliman",
        "ur": "تعریف",
        "fa": "قدردانی",
        "bn": "একটি প্রশংসা",
        "my": "ချီးကျူးချက်",
        "sq": "Një lavdërim",
    },
    "meeting-request": {
        "en": "A request for a meeting or presentation",
        "es": "Una solicitud de reunión o presentación",
        "ar": "طلب اجتماع أو عرض تقديمي",
        "ne": "बैठक वा प्रस्तुतिका लागि अनुरोध",
        "fr": "Une demande de réunion ou de présentation",
        "sw": "Ombi la mkutano au wasilisho",
        "so": "Codsi kulan ama soo bandhigid",
        "vi": "Yêu cầu một buổi họp hoặc buổi trình bày",
        "zh-hans": "请求安排会议或讲座",
        "pt-br": "Um pedido de reunião ou de apresentação",
        "ht": "Yon demann pou yon reyinyon oswa yon prezantasyon",
        "ur": "میٹنگ یا پریزنٹیشن کی درخواست",
        "fa": "درخواست جلسه یا ارائه",
        "bn": "একটি সভা বা উপস্থাপনার অনুরোধ",
        "my": "အစည်းအဝေး သို့မဟုတ် တင်ပြဆွေးနွေးပွဲအတွက် တောင်းဆိုချက်",
        "sq": "Një kërkesë për takim ose prezantim",
    },
    "suggestion": {
        "en": "A suggestion",
        "es": "Una sugerencia",
        "ar": "اقتراح",
        "ne": "सुझाव",
        "fr": "Une suggestion",
        "sw": "Pendekezo",
        "so": "Talo",
        "vi": "Một góp ý",
        "zh-hans": "建议",
        "pt-br": "Uma sugestão",
        "ht": "Yon sijesyon",
        "ur": "تجویز",
        "fa": "پیشنهاد",
        "bn": "একটি পরামর্শ",
        "my": "အကြံပြုချက်",
        "sq": "Një sugjerim",
    },
}


def forwards(apps, schema_editor):
    ConcernCategory = apps.get_model("feedback", "ConcernCategory")
    for category in ConcernCategory.objects.filter(slug__in=CATEGORY_NAMES):
        changed = []
        for code, name in CATEGORY_NAMES[category.slug].items():
            column = "name_" + code.replace("-", "_")
            if not getattr(category, column, None):
                setattr(category, column, name)
                changed.append(column)
        if changed:
            category.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_sixteen_languages")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
